using System.Text.Json;

namespace Codex.Billing.Model;

/// <summary>
/// One usage event, once per tenant and <see cref="TransactionId"/>. The metric's field is read at ingest into
/// <see cref="Value"/> (numbers) or <see cref="UniqueKey"/> (unique_count), so aggregation never parses JSON.
/// </summary>
public sealed class UsageRecord : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public required string TransactionId { get; set; }
    public Guid SubscriptionId { get; set; }
    public required string Metric { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public decimal? Value { get; set; }
    public string? UniqueKey { get; set; }
    public JsonDocument Properties { get; set; } = JsonDocument.Parse("{}");
    public DateTimeOffset ReceivedAt { get; set; }
}
