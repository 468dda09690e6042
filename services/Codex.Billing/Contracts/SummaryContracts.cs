namespace Codex.Billing.Contracts;

/// <summary>
/// Billing's figures for one tenant, named as Platform's summary names them: subscriptions by state, and MRR per currency
/// (active and past-due subscriptions' fixed charges as monthly amounts), and the totals of open and of paid invoices per currency.
/// </summary>
public sealed record BillingSummary(
    int Subscriptions, int ActiveSubscriptions, int TrialingSubscriptions, IReadOnlyDictionary<string, decimal> Mrr,
    IReadOnlyDictionary<string, decimal> OpenInvoices, IReadOnlyDictionary<string, decimal> PaidInvoices);
