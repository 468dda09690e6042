using System.Text.Json;

namespace Codex.Billing.Contracts;

/// <summary>
/// One usage event. It names its subscription, or its customer when that customer has exactly one live subscription;
/// <c>timestamp</c> defaults to the time of receipt.
/// </summary>
public sealed record UsageEventRequest(
    string? TransactionId, string? Metric, Guid? SubscriptionId = null, Guid? CustomerId = null, DateTimeOffset? Timestamp = null,
    JsonElement? Properties = null);

public sealed record UsageBatchRequest(IReadOnlyList<UsageEventRequest>? Events);

/// <summary>What a batch did: events new to Billing and events already counted (their transaction ids seen before).</summary>
public sealed record UsageBatchResult(int Accepted, int Duplicates);

/// <summary>A subscription's usage in one period: per metric of its plan, the units and what they cost so far.</summary>
public sealed record UsageReport(
    Guid SubscriptionId, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, string Currency, IReadOnlyList<MetricUsage> Metrics, decimal Total);

public sealed record MetricUsage(string Metric, string Aggregation, decimal Units, string Model, decimal Amount);
