namespace Codex.Billing.Model;

/// <summary>A tenant's billing rules: tax, invoice numbering, the draft window, and dunning.</summary>
public sealed class BillingSettings : ITenantOwned
{
    public required string TenantId { get; set; }

    /// <summary>The tax rate on every invoice (0.2 = 20 %), applied after discounts.</summary>
    public decimal TaxRate { get; set; }

    /// <summary>Put before the number: <c>INV-000042</c>.</summary>
    public string InvoicePrefix { get; set; } = "INV";

    /// <summary>How long a period's invoice stays a draft (late usage still lands in it) before it is finalized.</summary>
    public int DraftHours { get; set; }

    /// <summary>Days between a failed payment and each retry; after the last retry fails the subscription is past due.</summary>
    public List<int> RetryDays { get; set; } = [1, 3, 5];

    /// <summary>Days a past-due subscription keeps running before it is cancelled and its invoice written off.</summary>
    public int CancelAfterDays { get; set; } = 7;

    public DateTimeOffset UpdatedAt { get; set; }

    public static BillingSettings Default(string tenantId) => new() { TenantId = tenantId };
}

/// <summary>The next invoice number of a tenant: taken in the finalizing transaction, so a rollback returns it and no number is skipped.</summary>
public sealed class InvoiceSequence
{
    public required string TenantId { get; set; }
    public long NextNumber { get; set; } = 1;
}
