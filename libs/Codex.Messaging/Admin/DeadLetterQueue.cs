using Codex.Messaging.Consumer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Codex.Messaging.Admin;

/// <summary>A message in the dead-letter queue, as the admin API shows it.</summary>
public sealed record DeadLetter(
    string? MessageId, string? Type, string? TenantId, string? Error, string? ErrorType, int Attempts, string? FailedAt, long? OccurredAtUnix);

/// <summary>
/// Reads and replays <c>codex.&lt;service&gt;.dlq</c>. Reading takes messages without acknowledging
/// them; closing the channel puts them back in place. Replay sends a message to this service's own
/// queue (through the dead-letter exchange under <see cref="EventBusOptions.ReplayRoutingKey"/>, not the
/// events exchange, so other services are not asked again) and then acknowledges it.
/// </summary>
public sealed class DeadLetterQueue(IServiceProvider services, IOptions<EventBusOptions> options)
{
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, CancellationToken ct)
    {
        await using var channel = await Connection.CreateChannelAsync(cancellationToken: ct);
        var letters = new List<DeadLetter>();
        while (letters.Count < limit && await channel.BasicGetAsync(options.Value.DeadLetterQueue, autoAck: false, ct) is { } message)
        {
            letters.Add(Describe(message));
        }
        await channel.CloseAsync(ct);
        return letters;
    }

    /// <summary>Replays one message (by id) or, with <paramref name="messageId"/> null, every message; returns how many.</summary>
    public async Task<int> ReplayAsync(string? messageId, CancellationToken ct)
    {
        var settings = options.Value;
        await using var channel = await Connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        var replayed = 0;
        // Bounded by what was there at the start: a replayed message that fails again comes back behind.
        uint? remaining = null;
        while (remaining is null or > 0 && await channel.BasicGetAsync(settings.DeadLetterQueue, autoAck: false, ct) is { } message)
        {
            remaining = (remaining ?? message.MessageCount + 1) - 1;
            if (messageId is not null && message.BasicProperties.MessageId != messageId)
            {
                continue;
            }
            var headers = new Dictionary<string, object?>(message.BasicProperties.Headers ?? new Dictionary<string, object?>());
            var replays = headers.TryGetValue(Topology.ReplaysHeader, out var count) && count is int n ? n : 0;
            foreach (var name in new[] { Topology.ErrorHeader, Topology.ErrorTypeHeader, Topology.AttemptsHeader, Topology.FailedAtHeader, "x-death", "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason" })
            {
                headers.Remove(name);
            }
            headers[Topology.ReplaysHeader] = replays + 1;
            var properties = new BasicProperties(message.BasicProperties) { Headers = headers };
            await channel.BasicPublishAsync(settings.DeadLetterExchange, settings.ReplayRoutingKey, mandatory: true, properties, message.Body, ct);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, ct);
            replayed++;
            if (messageId is not null)
            {
                break;
            }
        }
        await channel.CloseAsync(ct);
        return replayed;
    }

    private IConnection Connection => services.GetRequiredService<IConnection>();

    private static DeadLetter Describe(BasicGetResult message)
    {
        var properties = message.BasicProperties;
        string? Header(string name) => EventBusTelemetry.Header(properties, name);
        return new DeadLetter(
            properties.MessageId,
            properties.Type ?? message.RoutingKey,
            Header(EventBusTelemetry.TenantHeader),
            Header(Topology.ErrorHeader) ?? Header("x-first-death-reason"),
            Header(Topology.ErrorTypeHeader),
            int.TryParse(Header(Topology.AttemptsHeader), out var attempts) ? attempts : 0,
            Header(Topology.FailedAtHeader),
            properties.IsTimestampPresent() ? properties.Timestamp.UnixTime : null);
    }
}
