using Codex.Billing.Contracts;
using Codex.Billing.Infrastructure;
using Codex.Billing.Model;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Billing.Services;

/// <summary>Billing's figures for one tenant from its own tables: what Platform reconciles its summary against.</summary>
public sealed class SummaryService(BillingDbContext db, TenantContext tenant)
{
    public async Task<BillingSummary> ForTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        tenant.Set(tenantId);
        var byStatus = await db.Subscriptions.GroupBy(s => s.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var paying = await db.Subscriptions.Where(s => s.Status == SubscriptionStatuses.Active || s.Status == SubscriptionStatuses.PastDue)
            .Select(s => s.PlanVersion).ToListAsync(cancellationToken);
        var mrr = paying.GroupBy(v => v.Currency.Trim()).ToDictionary(g => g.Key, g => g.Sum(v => v.MonthlyAmount));
        var invoiced = await db.Invoices.Where(i => i.Status == InvoiceStatuses.Open || i.Status == InvoiceStatuses.Paid)
            .GroupBy(i => new { i.Status, i.Currency }).Select(g => new { g.Key.Status, g.Key.Currency, Total = g.Sum(i => i.Total) }).ToListAsync(cancellationToken);
        IReadOnlyDictionary<string, decimal> Totals(string status) =>
            invoiced.Where(i => i.Status == status && i.Total != 0).ToDictionary(i => i.Currency.Trim(), i => i.Total);
        int Count(string status) => byStatus.FirstOrDefault(s => s.Status == status)?.Count ?? 0;
        return new BillingSummary(byStatus.Sum(s => s.Count), Count(SubscriptionStatuses.Active) + Count(SubscriptionStatuses.PastDue),
            Count(SubscriptionStatuses.Trialing), mrr, Totals(InvoiceStatuses.Open), Totals(InvoiceStatuses.Paid));
    }
}
