using Codex.Billing.Pricing;

namespace Codex.Billing.Model;

public static class SubscriptionStatuses
{
    public const string Trialing = "trialing";
    public const string Active = "active";
    public const string PastDue = "past_due";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Trialing, Active, PastDue, Cancelled];

    /// <summary>States in which the customer has the plan (and usage is taken).</summary>
    public static bool IsLive(string status) => status != Cancelled;
}

/// <summary>A customer's subscription to one plan version; its periods are anchored on <see cref="StartedAt"/>.</summary>
public sealed class Subscription : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public Guid CustomerId { get; set; }
    public Guid PlanId { get; set; }
    public Guid PlanVersionId { get; set; }
    public PlanVersion PlanVersion { get; set; } = null!;
    public required string Status { get; set; }

    /// <summary>The anchor of every period (a plan change to another interval moves it to the change).</summary>
    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? TrialEndsAt { get; set; }
    public DateTimeOffset CurrentPeriodStart { get; set; }
    public DateTimeOffset CurrentPeriodEnd { get; set; }
    public bool CancelAtPeriodEnd { get; set; }

    /// <summary>A discount on every invoice of the subscription, in percent of its charges (0 to 100).</summary>
    public decimal DiscountPercent { get; set; }

    /// <summary>When a past-due subscription is cancelled if its invoice stays unpaid (dunning's last step).</summary>
    public DateTimeOffset? CancelUnpaidAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public BillingPeriod CurrentPeriod => new(CurrentPeriodStart, CurrentPeriodEnd);

    public BillingPeriod PeriodContaining(DateTimeOffset at) =>
        BillingPeriods.Containing(StartedAt, PlanVersion.Interval, PlanVersion.IntervalCount, at);

    public bool InTrial(DateTimeOffset at) => TrialEndsAt is { } end && at < end;
}
