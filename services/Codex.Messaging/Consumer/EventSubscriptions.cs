using System.Text.Json;
using Codex.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace Codex.Messaging.Consumer;

/// <summary>The event types this service consumes and the handlers of each.</summary>
public sealed class EventSubscriptions
{
    private readonly Dictionary<string, Subscription> _byType = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> EventTypes => _byType.Keys;

    internal bool TryGet(string type, out Subscription subscription) => _byType.TryGetValue(type, out subscription!);

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
