namespace Codex.Billing.Model;

public static class SubscriptionChangeKinds
{
    public const string PlanChanged = "plan_changed";
    public const string Cancelled = "cancelled";
}

/// <summary>
/// A change inside a paid period, prorated to the day: the credit for the old version's unused days (a credit note)
/// and the charge for the new version's remaining days, both for the next invoice to take.
/// </summary>
public sealed class SubscriptionChange : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public Guid SubscriptionId { get; set; }
    public required string Kind { get; set; }
    public Guid FromVersionId { get; set; }
    public Guid? ToVersionId { get; set; }
    public DateTimeOffset EffectiveAt { get; set; }
    public DateTimeOffset PeriodStart { get; set; }
    public DateTimeOffset PeriodEnd { get; set; }
    public int DaysRemaining { get; set; }
    public int DaysInPeriod { get; set; }
    public decimal CreditAmount { get; set; }
    public decimal ChargeAmount { get; set; }
    public required string Currency { get; set; }
    public Guid? CreditNoteId { get; set; }

    /// <summary>Set when an invoice took the charge.</summary>
    public Guid? InvoiceId { get; set; }
}

/// <summary>Money owed back to a customer; an invoice deducts it while it is available.</summary>
public sealed class CreditNote : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public Guid CustomerId { get; set; }
    public Guid SubscriptionId { get; set; }
    public required string Reason { get; set; }
    public decimal Amount { get; set; }

    /// <summary>What is left to deduct (the whole amount until an invoice uses it).</summary>
    public decimal Remaining { get; set; }

    public required string Currency { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
