using System.Text.RegularExpressions;
using Codex.Contracts;

namespace Codex;

/// <summary>
/// The RabbitMQ names every service's event bus uses, and what each service's own broker user may do with them
/// (<see cref="BrokerPermissions"/>). The event bus (Codex.Messaging) declares and uses the names; the AppHost
/// gives the broker the permissions, so a service that is taken over still cannot speak for another.
/// </summary>
public static class EventBusNames
{
    /// <summary>The topic exchange of every integration event; the routing key is the event's type.</summary>
    public const string Exchange = "codex.events";

    /// <summary>
    /// Where dead letters and replays go. A topic exchange (not direct) because RabbitMQ checks routing keys per
    /// user on topic exchanges only: so each service reaches its own dead-letter queue and no other.
    /// </summary>
    public const string DeadLetterExchange = "codex.dead-letters";

    /// <summary>The service's queue, <c>codex.&lt;service&gt;</c>.</summary>
    public static string Queue(string service) => $"codex.{service}";

    /// <summary>The service's dead-letter queue, <c>codex.&lt;service&gt;.dlq</c>; its routing key is <see cref="Queue"/>.</summary>
    public static string DeadLetterQueue(string service) => $"{Queue(service)}.dlq";

    /// <summary>The routing key that brings a replayed dead letter back to the service's own queue (and nowhere else).</summary>
    public static string ReplayRoutingKey(string service) => $"{Queue(service)}.replay";
}

/// <summary>
/// A service's RabbitMQ permissions: the regular expressions of <c>set_permissions</c> (resource names) and of
/// <c>set_topic_permissions</c> (routing keys per topic exchange). A user named after a service may use the
/// names of that service and of its second deployments (<c>crm</c> and <c>crm-eu</c>, as
/// <see cref="EventTypes.MayPublish"/> reads sources): declare and read its own queues, bind them to the event
/// types it may read (<see cref="EventTypes.MayRead"/>: by exact name, no wildcard), publish the event types it
/// owns (and the shared ones), and reach its own dead letters. Nothing else: not another service's
/// queue, not the default exchange (which would deliver into any queue by name), not another's event types,
/// and not the exchanges themselves, which the broker declares (<see cref="EventBusNames"/>) and no service
/// may redeclare or delete.
/// </summary>
public sealed record BrokerPermissions(string Configure, string Write, string Read, IReadOnlyList<TopicPermission> Topics)
{
    public static BrokerPermissions Of(string service)
    {
        if (!Regex.IsMatch(service, "^[a-z][a-z0-9]*$"))
        {
            throw new ArgumentException($"'{service}' is not a service name (lower-case letters and digits).", nameof(service));
        }
        // The service and its second deployments: crm, crm-eu (never crmx).
        var instance = $"{service}(-[a-z0-9-]+)?";
        var queues = $"codex\\.{instance}(\\.dlq)?";
        // Publishing and binding need write and read on the exchanges; only the broker declares them.
        var used = $"^({Regex.Escape(EventBusNames.Exchange)}|{Regex.Escape(EventBusNames.DeadLetterExchange)}|{queues})$";
        var ownTypes = $"{service}\\.[a-z0-9_-]+\\.[a-z0-9_.-]+";
        var sharedTypes = EventTypes.Shared.Order(StringComparer.Ordinal).Select(Regex.Escape);
        var publishable = $"^({string.Join('|', [ownTypes, .. sharedTypes])})$";
        // Bindings name exact types: a wildcard (#, *) would reach the confidential ones too.
        var readable = $"^({string.Join('|', EventTypes.ReadableBy(service).Select(Regex.Escape))})$";
        var deadLetters = $"^codex\\.{instance}(\\.replay)?$";
        return new($"^{queues}$", used, used,
        [
            // Its queue may be bound to any type it may read (services subscribe to each other's events); only its
            // own types may be published.
            new(EventBusNames.Exchange, Write: publishable, Read: readable),
            new(EventBusNames.DeadLetterExchange, Write: deadLetters, Read: deadLetters),
        ]);
    }
}

/// <summary>The routing keys a user may publish (<see cref="Write"/>) and bind (<see cref="Read"/>) on a topic exchange.</summary>
public sealed record TopicPermission(string Exchange, string Write, string Read);
