namespace Codex.Messaging.Inbox;

/// <summary>An event this service has handled; its id makes a redelivery a no-op.</summary>
public sealed class InboxMessage
{
    public Guid EventId { get; set; }
    public string EventType { get; set; } = "";
    public DateTimeOffset HandledAt { get; set; }
}
