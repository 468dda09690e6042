namespace Codex.Billing.Model;

/// <summary>
/// Something a tenant bills its customers for by use (API calls, seats, gigabytes). Its aggregation and field are
/// fixed once created: usage already ingested was read by them.
/// </summary>
public sealed class BillableMetric : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Aggregation { get; set; }

    /// <summary>The event property the aggregation reads (none for count).</summary>
    public string? Field { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
