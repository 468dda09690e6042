namespace Codex.Billing.Model;

public static class InvoiceStatuses
{
    public const string Draft = "draft";
    public const string Open = "open";
    public const string Paid = "paid";
    public const string Void = "void";
    public const string Uncollectible = "uncollectible";
}

public static class InvoiceLineKinds
{
    public const string Fixed = "fixed";
    public const string Usage = "usage";
    public const string Proration = "proration";
    public const string Discount = "discount";
    public const string Tax = "tax";
    public const string Credit = "credit";
}

/// <summary>
/// What a customer owes for a subscription's period: the fixed charge in advance, the ended period's usage in arrears,
/// and the changes made in between. A draft is recomposed when finalized (late usage lands in it); an open invoice has
/// a number and never changes again, except in status.
/// </summary>
public sealed class Invoice : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public Guid CustomerId { get; set; }
    public Guid SubscriptionId { get; set; }
    public long? Number { get; set; }
    public string? DisplayNumber { get; set; }
    public required string Status { get; set; }
    public required string Currency { get; set; }

    /// <summary>The ended period whose usage this invoice bills (none for a first invoice).</summary>
    public DateTimeOffset? UsageStart { get; set; }
    public DateTimeOffset? UsageEnd { get; set; }

    /// <summary>The period whose fixed charge this invoice bills in advance (none for a final invoice).</summary>
    public DateTimeOffset? FixedStart { get; set; }
    public DateTimeOffset? FixedEnd { get; set; }

    /// <summary>The fixed charge as decided when the draft was made (a trial's end bills the period's rest).</summary>
    public decimal FixedAmount { get; set; }

    public Guid PlanVersionId { get; set; }
    public decimal Subtotal { get; set; }
    public decimal Discount { get; set; }
    public decimal TaxRate { get; set; }
    public decimal Tax { get; set; }
    public decimal CreditApplied { get; set; }
    public decimal Total { get; set; }
    public DateTimeOffset FinalizeAt { get; set; }
    public DateTimeOffset? IssuedAt { get; set; }
    public DateTimeOffset? PaidAt { get; set; }
    public DateTimeOffset? VoidedAt { get; set; }
    public int PaymentAttempts { get; set; }
    public DateTimeOffset? NextPaymentAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<InvoiceLine> Lines { get; set; } = [];
}

public sealed class InvoiceLine : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public Guid InvoiceId { get; set; }
    public int Position { get; set; }
    public required string Kind { get; set; }
    public required string Description { get; set; }
    public string? Metric { get; set; }
    public decimal Quantity { get; set; }
    public decimal Amount { get; set; }
    public DateTimeOffset? PeriodStart { get; set; }
    public DateTimeOffset? PeriodEnd { get; set; }

    /// <summary>The credit note a credit line drew on.</summary>
    public Guid? CreditNoteId { get; set; }
}

public static class PaymentStatuses
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// <summary>One attempt to collect an invoice from the payment provider.</summary>
public sealed class Payment : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public Guid InvoiceId { get; set; }
    public int Attempt { get; set; }
    public required string Status { get; set; }
    public decimal Amount { get; set; }
    public required string Currency { get; set; }
    public string? ProviderReference { get; set; }
    public string? FailureReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
