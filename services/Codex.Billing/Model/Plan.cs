using Codex.Billing.Pricing;

namespace Codex.Billing.Model;

/// <summary>A plan by its code; what it charges lives in its versions, and a change is a new version.</summary>
public sealed class Plan : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public required string Code { get; set; }
    public int CurrentVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// What a plan charged from one moment on. Never changed once written: subscriptions and invoices point at the
/// version they were made with, so a new price never rewrites a past invoice.
/// </summary>
public sealed class PlanVersion : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public Guid PlanId { get; set; }
    public int Version { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }

    /// <summary>The fixed charge per period, paid in advance.</summary>
    public decimal Amount { get; set; }

    public required string Currency { get; set; }
    public required string Interval { get; set; }
    public int IntervalCount { get; set; } = 1;
    public int TrialDays { get; set; }
    public List<UsageCharge> Charges { get; set; } = [];
    public Entitlements Entitlements { get; set; } = new();
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The fixed charge as a monthly figure (a yearly 120 is 10 a month), to 4 places: what MRR adds up.</summary>
    public decimal MonthlyAmount => decimal.Round(Amount / (Interval == BillingIntervals.Year ? 12 * IntervalCount : IntervalCount), 4, MidpointRounding.AwayFromZero);
}

/// <summary>What a subscription to the plan allows: numeric limits by name and feature flags.</summary>
public sealed record Entitlements
{
    public Dictionary<string, long> Limits { get; init; } = [];
    public Dictionary<string, bool> Features { get; init; } = [];
}

/// <summary>The limits a plan may set; the gateway and services know what each means.</summary>
public static class LimitNames
{
    public const string ApiCallsPerMinute = "api_calls_per_minute";
    public const string ApiCallsPerMonth = "api_calls_per_month";
    public const string Users = "users";
    public const string StorageGb = "storage_gb";

    public static readonly IReadOnlyList<string> All = [ApiCallsPerMinute, ApiCallsPerMonth, Users, StorageGb];
}
