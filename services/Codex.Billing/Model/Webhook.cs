namespace Codex.Billing.Model;

/// <summary>A tenant's receiver of billing events: where to POST, which events, and the secret that signs them (stored protected).</summary>
public sealed class WebhookEndpoint : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public required string Url { get; set; }
    public string? Description { get; set; }

    /// <summary>Event names or patterns: <c>invoice.paid</c>, <c>invoice.*</c>, <c>subscription.*</c>.</summary>
    public List<string> Events { get; set; } = [];

    public required string ProtectedSecret { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public bool Wants(string eventName) => Events.Any(pattern =>
        pattern == eventName || (pattern.EndsWith(".*", StringComparison.Ordinal) && eventName.StartsWith(pattern[..^1], StringComparison.Ordinal)));
}

public static class WebhookDeliveryStatuses
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";

    /// <summary>Every attempt failed: the endpoint's dead-letter list, replayable.</summary>
    public const string Dead = "dead";

    public static readonly IReadOnlyList<string> All = [Pending, Succeeded, Dead];
}

/// <summary>One event for one endpoint: its body as first written (what is signed and sent every time) and its attempts.</summary>
public sealed class WebhookDelivery : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public Guid EndpointId { get; set; }
    public required string EventType { get; set; }
    public required string Payload { get; set; }
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}
