using System.Text.Json;
using Codex.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace Codex.Messaging.Consumer;

/// <summary>The event types this service consumes and the handlers of each.</summary>
public sealed class EventSubscriptions
{
    private readonly Dictionary<string, Subscription> _byType = new(StringComparer.Ordinal);
    private readonly List<Func<IServiceProvider, EventEnvelope, EventContext, CancellationToken, Task>> _allEventHandlers = [];

    /// <summary>Whether the service subscribes to anything.</summary>
    public bool Any => _allEventHandlers.Count > 0 || _byType.Count > 0;

    /// <summary>
    /// The routing keys the queue of <paramref name="service"/> is bound to: every subscribed type, or, when a
    /// handler takes all, every type the service may read, by name (its broker user may bind no wildcard).
    /// </summary>
    public IReadOnlyCollection<string> RoutingKeys(string service) =>
        _allEventHandlers.Count > 0 ? Contracts.EventTypes.ReadableBy(service) : _byType.Keys;

    internal IReadOnlyList<Func<IServiceProvider, EventEnvelope, EventContext, CancellationToken, Task>> AllEventHandlers => _allEventHandlers;

    internal bool TryGet(string type, out Subscription subscription) => _byType.TryGetValue(type, out subscription!);

    internal void AddAllEvents<THandler>() where THandler : IEventEnvelopeHandler =>
        _allEventHandlers.Add((services, envelope, context, ct) => services.GetRequiredService<THandler>().HandleAsync(envelope, context, ct));

    internal void Add<TEvent, THandler>()
        where TEvent : class, IIntegrationEvent
        where THandler : IIntegrationEventHandler<TEvent>
    {
        var name = Contracts.EventTypes.Of<TEvent>().Name;
        if (!_byType.TryGetValue(name, out var subscription))
        {
            _byType[name] = subscription = new Subscription(typeof(TEvent));
        }
        subscription.Handlers.Add((services, @event, context, ct) =>
            services.GetRequiredService<THandler>().HandleAsync((TEvent)@event, context, ct));
    }

    internal sealed record Subscription(Type EventType)
    {
        public List<Func<IServiceProvider, IIntegrationEvent, EventContext, CancellationToken, Task>> Handlers { get; } = [];

        public IIntegrationEvent? Deserialize(JsonElement data) =>
            (IIntegrationEvent?)data.Deserialize(EventType, EventEnvelope.Json);
    }
}
