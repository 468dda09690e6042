using System.Text.Json;
using Codex.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace Codex.Messaging.Consumer;

/// <summary>The event types this service consumes and the handlers of each.</summary>
public sealed class EventSubscriptions
{
    /// <summary>The binding that routes every event type to the queue.</summary>
    public const string AllEvents = "#";

    private readonly Dictionary<string, Subscription> _byType = new(StringComparer.Ordinal);
    private readonly List<Func<IServiceProvider, EventEnvelope, EventContext, CancellationToken, Task>> _allEventHandlers = [];

    /// <summary>The routing keys the queue is bound to: every subscribed type, or <c>#</c> when any handler takes all.</summary>
    public IReadOnlyCollection<string> EventTypes => _allEventHandlers.Count > 0 ? [AllEvents] : _byType.Keys;

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
