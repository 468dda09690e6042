using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using RabbitMQ.Client;

namespace Codex.Messaging;

/// <summary>Spans and metrics of the event bus (source and meter <c>Codex.Messaging</c>).</summary>
public static class EventBusTelemetry
{
    public const string Name = "Codex.Messaging";
    public const string TenantTag = "codex.tenant_id";
    public const string EventTypeTag = "codex.event_type";
    public const string TraceparentHeader = "traceparent";
    public const string TenantHeader = "x-tenant-id";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Published = Meter.CreateCounter<long>("codex.events.published", description: "Events the relay published and the broker confirmed.");
    public static readonly Counter<long> Consumed = Meter.CreateCounter<long>("codex.events.consumed", description: "Events handled (their effect committed).");
    public static readonly Counter<long> Failed = Meter.CreateCounter<long>("codex.events.failed", description: "Handler attempts that threw.");
    public static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("codex.events.dead_lettered", description: "Events moved to the dead-letter queue.");
    public static readonly Histogram<double> Lag = Meter.CreateHistogram<double>("codex.events.lag", unit: "ms", description: "Time from an event's occurredAt to its handling.");

    private static long _backlog;

    static EventBusTelemetry()
    {
        Meter.CreateObservableGauge("codex.outbox.backlog", () => Volatile.Read(ref _backlog), description: "Outbox rows not yet published.");
        // Codex carries the trace context itself (publish span → traceparent header → consume span);
        // RabbitMQ.Client's own injection would overwrite the header with its inner span.
        RabbitMQActivitySource.ContextInjector = static (_, _) => { };
    }

    internal static void ReportBacklog(long rows) => Volatile.Write(ref _backlog, rows);

    internal static KeyValuePair<string, object?> TypeTag(string type) => new(EventTypeTag, type);

    internal static Activity? StartPublish(string type, string tenantId, Guid messageId, string? parentTraceparent, string exchange)
    {
        ActivityContext.TryParse(parentTraceparent, null, out var parent);
        var activity = Source.StartActivity($"{exchange} publish", ActivityKind.Producer, parent);
        return activity?.SetTag("messaging.system", "rabbitmq")
            .SetTag("messaging.operation.type", "send")
            .SetTag("messaging.destination.name", exchange)
            .SetTag("messaging.rabbitmq.destination.routing_key", type)
            .SetTag("messaging.message.id", messageId.ToString())
            .SetTag(EventTypeTag, type)
            .SetTag(TenantTag, tenantId);
    }

    internal static Activity? StartConsume(EventEnvelope envelope, IReadOnlyBasicProperties properties, string queue)
    {
        var traceparent = Header(properties, TraceparentHeader) ?? envelope.Traceparent;
        ActivityContext.TryParse(traceparent, null, out var parent);
        var activity = Source.StartActivity($"{queue} process", ActivityKind.Consumer, parent);
        return activity?.SetTag("messaging.system", "rabbitmq")
            .SetTag("messaging.operation.type", "process")
            .SetTag("messaging.destination.name", queue)
            .SetTag("messaging.message.id", envelope.Id.ToString())
            .SetTag(EventTypeTag, envelope.Type)
            .SetTag(TenantTag, envelope.TenantId);
    }

    internal static string? Header(IReadOnlyBasicProperties properties, string name) =>
        properties.Headers?.TryGetValue(name, out var value) == true ? AsString(value) : null;

    internal static string? AsString(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        null => null,
        _ => value.ToString(),
    };
}
