using Codex.Contracts;
using Codex.Messaging;
using RabbitMQ.Client;

namespace Codex.Testing.Auth;

/// <summary>Events published onto <c>codex.events</c> as their owner's outbox relay does (routing key = type).</summary>
public static class TestEvents
{
    /// <summary>An envelope for <paramref name="event"/> from the service that owns its type, as consumers require.</summary>
    public static EventEnvelope FromOwner(IIntegrationEvent @event) =>
        EventEnvelope.Create(@event, EventTypes.Owner(EventTypes.Of(@event.GetType()).Name), TimeProvider.System);

    public static async Task PublishAsync(params EventEnvelope[] envelopes)
    {
        var factory = new ConnectionFactory { Uri = new Uri(TestInfrastructure.ConnectionString(ResourceNames.Messaging)) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        foreach (var envelope in envelopes)
        {
            var properties = new BasicProperties { MessageId = envelope.Id.ToString(), Type = envelope.Type, DeliveryMode = DeliveryModes.Persistent };
            await channel.BasicPublishAsync("codex.events", envelope.Type, mandatory: true, properties, envelope.ToBytes());
        }
    }
}
