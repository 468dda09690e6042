using System.Collections.Concurrent;
using Codex.Billing.Infrastructure;
using Codex.Billing.Model;
using Microsoft.EntityFrameworkCore;

namespace Codex.Billing.Services;

/// <summary>
/// Billable metrics by tenant and code, for usage ingest. A metric is never changed or deleted once created, so a
/// metric found once is kept for good; a code not known yet is looked up in the database every time it is asked for.
/// </summary>
public sealed class MetricCatalog
{
    private readonly ConcurrentDictionary<(string Tenant, string Code), BillableMetric> _known = new();

    public async Task<IReadOnlyDictionary<string, BillableMetric>> FindAsync(
        BillingDbContext db, string tenantId, IEnumerable<string?> codes, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, BillableMetric>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var code in codes.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (_known.TryGetValue((tenantId, code), out var metric))
            {
                found[code] = metric;
            }
            else
            {
                missing.Add(code);
            }
        }
        if (missing.Count > 0)
        {
            foreach (var metric in await db.Metrics.AsNoTracking().Where(m => missing.Contains(m.Code)).ToListAsync(cancellationToken))
            {
                _known[(tenantId, metric.Code)] = metric;
                found[metric.Code] = metric;
            }
        }
        return found;
    }
}
