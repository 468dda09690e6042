using Codex.Contracts;

namespace Codex.Messaging.Consumer;

/// <summary>
/// Whether a delivered event comes from where it must: consumers dead-letter the rest unhandled. A service
/// publishes its own events only (<see cref="EventTypes.MayPublish"/>), under their type as routing key.
/// </summary>
internal static class EventOrigin
{
    /// <summary>
    /// Why the event cannot be what it says, or null: its routing key must be its type (or this queue's replay
    /// key, for a replayed dead letter), and its source the service that owns the type.
    /// </summary>
    public static string? Forged(EventEnvelope envelope, string routingKey, EventBusOptions settings) =>
        routingKey != envelope.Type && routingKey != settings.ReplayRoutingKey
            ? $"The event '{envelope.Type}' came under the routing key '{routingKey}'."
            : !EventTypes.MayPublish(envelope.Source, envelope.Type)
                ? $"The event '{envelope.Type}' claims to come from '{envelope.Source}', which does not publish it."
                : null;
}
