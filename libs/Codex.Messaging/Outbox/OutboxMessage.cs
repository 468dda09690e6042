namespace Codex.Messaging.Outbox;

/// <summary>An event waiting to be published, written in the same transaction as the change it reports.</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }

    /// <summary>Commit order; the relay publishes in this order.</summary>
    public long Sequence { get; set; }

    public string EventType { get; set; } = "";
    public string TenantId { get; set; } = "";
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>W3C trace context of the code that wrote the event; the publish span continues it.</summary>
    public string? Traceparent { get; set; }

    /// <summary>The whole envelope as JSON.</summary>
    public string Envelope { get; set; } = "";

    public DateTimeOffset? SentAt { get; set; }
}
