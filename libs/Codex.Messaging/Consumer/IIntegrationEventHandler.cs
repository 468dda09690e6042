using Codex.Contracts;

namespace Codex.Messaging.Consumer;

/// <summary>Where an event came from, for handlers that need more than its data.</summary>
public sealed record EventContext(Guid EventId, string Type, string TenantId, DateTimeOffset OccurredAt, string Source, int Attempt)
{
    /// <summary>Who caused the event (the <c>sub</c> of the caller whose request wrote it), when known.</summary>
    public string? Actor { get; init; }
}

/// <summary>
/// Reacts to one event type. It runs inside a transaction that also records the event id in the inbox,
/// so its database effect is applied once however often the event is delivered. Use the service's
/// scoped DbContext; the consumer saves and commits after the handler returns.
/// </summary>
public interface IIntegrationEventHandler<in TEvent> where TEvent : IIntegrationEvent
{
    Task HandleAsync(TEvent @event, EventContext context, CancellationToken cancellationToken);
}

/// <summary>
/// Reacts to every event the service receives, whatever its type, from the envelope alone (Platform's
/// audit log and summaries). Same transaction and inbox as typed handlers.
/// </summary>
public interface IEventEnvelopeHandler
{
    Task HandleAsync(EventEnvelope envelope, EventContext context, CancellationToken cancellationToken);
}
