using Codex.Crm.Contracts;
using Codex.Crm.Infrastructure;
using Codex.Crm.Model;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Crm.Services;

/// <summary>CRM's figures for one tenant from its own tables: what Platform reconciles its summary against.</summary>
public sealed class SummaryService(CrmDbContext db, TenantContext tenant)
{
    public async Task<CrmSummary> ForTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        tenant.Set(tenantId);
        var customers = await db.Customers.CountAsync(cancellationToken);
        var leads = await db.Leads.CountAsync(cancellationToken);
        var open = await db.Leads.Where(l => l.Status == LeadStatuses.Open)
            .GroupBy(l => l.Currency)
            .Select(g => new { Currency = g.Key, Count = g.Count(), Value = g.Sum(l => l.Value), Probability = g.Sum(l => l.Probability) })
            .ToListAsync(cancellationToken);
        var openLeads = open.Sum(o => o.Count);
        var probability = open.Sum(o => o.Probability);
        return new CrmSummary(customers, leads, openLeads, open.ToDictionary(o => o.Currency.Trim(), o => o.Value), probability,
            openLeads == 0 ? null : Math.Round((decimal)probability / openLeads, 1));
    }
}
