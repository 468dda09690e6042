using Codex.Contracts;

namespace Codex.Messaging.Outbox;

/// <summary>Writes integration events in the same transaction as the service's own changes.</summary>
public interface IEventOutbox
{
    /// <summary>
    /// Saves the DbContext's pending changes and <paramref name="events"/> in one transaction (under the
    /// EF execution strategy); the relay publishes the events once it has committed. Inside an event
    /// handler it joins the handler's transaction instead.
    /// </summary>
    Task SaveChangesAsync(IEnumerable<IIntegrationEvent> events, CancellationToken cancellationToken = default);
}
