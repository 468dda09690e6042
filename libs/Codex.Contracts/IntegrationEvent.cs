namespace Codex.Contracts;

/// <summary>
/// Something that happened in one service that others may react to. Every event belongs to exactly one
/// tenant; consumers refuse events whose envelope names another tenant than the data.
/// </summary>
public interface IIntegrationEvent
{
    /// <summary>The tenant the event belongs to (a slug such as <c>acme-prod</c>).</summary>
    string TenantId { get; }
}

/// <summary>
/// The event's wire name, <c>&lt;service&gt;.&lt;entity&gt;.&lt;verb&gt;</c>, which is also its RabbitMQ
/// routing key, and the version of its data's shape.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class EventTypeAttribute(string name, int version = 1) : Attribute
{
    public string Name { get; } = name;
    public int Version { get; } = version;

    /// <summary>
    /// Any service may publish it (a permission denial happens wherever a route refuses), not only the service
    /// its name starts with.
    /// </summary>
    public bool AnyService { get; set; }

    /// <summary>
    /// The event carries a secret (a one-time token) for these services only: the broker lets no other service
    /// bind it (<see cref="BrokerPermissions"/>). Null: any service may subscribe.
    /// </summary>
    public string[]? ReadBy { get; set; }
}

/// <summary>Reads <see cref="EventTypeAttribute"/> once per type.</summary>
public static class EventTypes
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, EventTypeAttribute> Cache = new();

    /// <summary>The wire name and version of <paramref name="eventType"/>.</summary>
    public static EventTypeAttribute Of(Type eventType) => Cache.GetOrAdd(eventType, static type =>
        (EventTypeAttribute?)Attribute.GetCustomAttribute(type, typeof(EventTypeAttribute))
        ?? throw new InvalidOperationException($"{type.Name} has no [EventType(\"service.entity.verb\")] attribute."));

    /// <inheritdoc cref="Of(Type)"/>
    public static EventTypeAttribute Of<TEvent>() where TEvent : IIntegrationEvent => Of(typeof(TEvent));

    /// <summary>Every event type's wire name in this assembly, sorted: what a filter can offer.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Declared().Select(attribute => attribute.Name).Order(StringComparer.Ordinal)];

    /// <summary>The event types any service may publish (<see cref="EventTypeAttribute.AnyService"/>).</summary>
    public static IReadOnlySet<string> Shared { get; } =
        Declared().Where(attribute => attribute.AnyService).Select(attribute => attribute.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The event types only some services may read (<see cref="EventTypeAttribute.ReadBy"/>), with those services.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Confidential { get; } =
        Declared().Where(attribute => attribute.ReadBy is not null)
            .ToDictionary(attribute => attribute.Name, attribute => (IReadOnlyList<string>)attribute.ReadBy!, StringComparer.Ordinal);

    /// <summary>
    /// Whether <paramref name="service"/> (an event-bus name, as for <see cref="MayPublish"/>) may subscribe to
    /// <paramref name="type"/>: any service, unless the type is confidential and the service is not among its readers.
    /// </summary>
    public static bool MayRead(string service, string type) =>
        !Confidential.TryGetValue(type, out var readers) || readers.Any(reader => IsInstanceOf(service, reader));

    /// <summary>Every event type <paramref name="service"/> may read: what "all events" means for it.</summary>
    public static IReadOnlyList<string> ReadableBy(string service) => [.. All.Where(type => MayRead(service, type))];

    private static IEnumerable<EventTypeAttribute> Declared() =>
        typeof(EventTypes).Assembly.GetTypes()
            .Select(type => (EventTypeAttribute?)Attribute.GetCustomAttribute(type, typeof(EventTypeAttribute)))
            .OfType<EventTypeAttribute>();

    /// <summary>The service that owns an event type: its name's first segment (<c>crm</c> for <c>crm.lead.created</c>).</summary>
    public static string Owner(string type) => type.IndexOf('.') is > 0 and var dot ? type[..dot] : type;

    /// <summary>
    /// Whether <paramref name="source"/> (a publisher's event-bus name: the service's name, or it and a
    /// <c>-suffix</c> for a second deployment of it) may publish <paramref name="type"/>: its owner, or anyone
    /// for a shared type.
    /// </summary>
    public static bool MayPublish(string source, string type) => Shared.Contains(type) || IsInstanceOf(source, Owner(type));

    // The service itself or a second deployment of it (crm, crm-eu).
    private static bool IsInstanceOf(string name, string service) =>
        string.Equals(name, service, StringComparison.Ordinal)
        || (name.Length > service.Length + 1 && name.StartsWith(service + "-", StringComparison.Ordinal));

    /// <summary>The event types that are also security events (Platform keeps them apart; the console filters by them).</summary>
    public static IReadOnlyList<string> Security { get; } =
        [Of<UserLoginFailed>().Name, Of<UserLockedOut>().Name, Of<RefreshTokenReused>().Name, Of<PermissionDenied>().Name];
}
