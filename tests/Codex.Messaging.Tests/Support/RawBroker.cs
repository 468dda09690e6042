using Codex.Contracts;
using RabbitMQ.Client;

namespace Codex.Messaging.Tests.Support;

/// <summary>Publishes hand-made envelopes straight to the exchange, as a misbehaving producer could.</summary>
public static class RawBroker
{
    public static EventEnvelope Envelope(IIntegrationEvent @event, string? tenantOverride = null, bool keepTenant = true) =>
        EventEnvelope.Create(@event, Owner(@event), TimeProvider.System) with { TenantId = keepTenant ? tenantOverride ?? @event.TenantId : null };

    /// <summary>The service that may publish <paramref name="event"/>: what a well-behaved producer names as source.</summary>
    public static string Owner(IIntegrationEvent @event) => EventTypes.Owner(EventTypes.Of(@event.GetType()).Name);

    public static async Task PublishAsync(MessagingServers servers, params EventEnvelope[] envelopes)
    {
        await using var connection = await servers.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        foreach (var envelope in envelopes)
        {
            var properties = new BasicProperties { MessageId = envelope.Id.ToString(), Type = envelope.Type, DeliveryMode = DeliveryModes.Persistent };
            await channel.BasicPublishAsync("codex.events", envelope.Type, mandatory: true, properties, envelope.ToBytes());
        }
    }
}
