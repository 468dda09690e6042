using RabbitMQ.Client;

namespace Codex.Messaging.Consumer;

/// <summary>
/// Exchanges, the service's queue with its bindings, and its dead-letter queue. Every declaration is
/// idempotent, so each replica declares at start-up. The names are <see cref="EventBusNames"/>, all within
/// what the service's broker user may touch (<see cref="BrokerPermissions"/>).
/// </summary>
internal static class Topology
{
    public const string ErrorHeader = "x-codex-error";
    public const string ErrorTypeHeader = "x-codex-error-type";
    public const string AttemptsHeader = "x-codex-attempts";
    public const string FailedAtHeader = "x-codex-failed-at";
    public const string ReplaysHeader = "x-codex-replays";

    /// <summary>
    /// Checks that the broker has the exchanges (passively): the broker declares them at boot, and a service's
    /// user may not declare, change or delete them (<see cref="BrokerPermissions"/>).
    /// </summary>
    public static async Task DeclareExchangesAsync(IChannel channel, EventBusOptions options, CancellationToken ct)
    {
        await channel.ExchangeDeclarePassiveAsync(options.Exchange, ct);
        await channel.ExchangeDeclarePassiveAsync(options.DeadLetterExchange, ct);
    }

    public static async Task DeclareAsync(IChannel channel, EventBusOptions options, IEnumerable<string> eventTypes, CancellationToken ct)
    {
        await DeclareExchangesAsync(channel, options, ct);

        await channel.QueueDeclareAsync(options.DeadLetterQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
        await channel.QueueBindAsync(options.DeadLetterQueue, options.DeadLetterExchange, options.Queue, cancellationToken: ct);

        // A message the consumer rejects outright (it could not even be acknowledged properly) still
        // lands in the dead-letter queue, through the broker.
        await channel.QueueDeclareAsync(options.Queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?>
            {
                ["x-dead-letter-exchange"] = options.DeadLetterExchange,
                ["x-dead-letter-routing-key"] = options.Queue,
            },
            cancellationToken: ct);
        // A replayed dead letter comes back through the dead-letter exchange: a service's broker user may not
        // publish to the default exchange, which would let it deliver into any queue by name.
        await channel.QueueBindAsync(options.Queue, options.DeadLetterExchange, options.ReplayRoutingKey, cancellationToken: ct);
        foreach (var type in eventTypes)
        {
            await channel.QueueBindAsync(options.Queue, options.Exchange, type, cancellationToken: ct);
        }
    }
}
