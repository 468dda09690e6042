using System.Text.Json;
using Codex.Platform.Contracts;
using Codex.Platform.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Codex.Platform.Summaries;

/// <summary>A tenant's figures per service, every declared figure present (0 or null before its first event).</summary>
public sealed class SummaryReader(PlatformDbContext db, IEnumerable<ISummaryProjection> projections, TimeProvider clock)
{
    public async Task<Dictionary<string, Dictionary<string, JsonElement>>> ReadAsync(string tenantId, CancellationToken cancellationToken) =>
        (await ReadManyAsync([tenantId], cancellationToken))[tenantId];

    public async Task<Dictionary<string, Dictionary<string, Dictionary<string, JsonElement>>>> ReadManyAsync(IReadOnlyCollection<string> tenantIds, CancellationToken cancellationToken)
    {
        var stored = await db.TenantSummaries.AsNoTracking().Where(f => tenantIds.Contains(f.TenantId)).ToListAsync(cancellationToken);
        var result = tenantIds.ToDictionary(t => t, _ => new Dictionary<string, Dictionary<string, JsonElement>>());
        foreach (var projection in projections)
        {
            foreach (var tenantId in tenantIds)
            {
                result[tenantId][projection.Service] = [];
            }
            foreach (var figure in projection.Figures)
            {
                var windowCounts = figure.IsStored ? null : await WindowCountsAsync(tenantIds, figure, cancellationToken);
                foreach (var tenantId in tenantIds)
                {
                    result[tenantId][projection.Service][figure.Name] = figure.IsStored
                        ? stored.FirstOrDefault(f => f.TenantId == tenantId && f.Service == projection.Service && f.Figure == figure.Name)?.Value.RootElement.Clone()
                            ?? Empty(figure)
                        : JsonSerializer.SerializeToElement(windowCounts!.GetValueOrDefault(tenantId));
                }
            }
        }
        return result;
    }

    /// <summary>For each figure, what last set it: the event (or reconciliation) from data_lineage, or for a windowed figure the latest counted event.</summary>
    public async Task<Dictionary<string, Dictionary<string, FigureLineage?>>> LineageAsync(string tenantId, CancellationToken cancellationToken)
    {
        var latest = await db.DataLineage.AsNoTracking()
            .Where(l => l.TenantId == tenantId)
            .GroupBy(l => new { l.Service, l.Figure })
            .Select(g => g.OrderByDescending(l => l.Id).First())
            .ToListAsync(cancellationToken);
        var result = new Dictionary<string, Dictionary<string, FigureLineage?>>();
        foreach (var projection in projections)
        {
            var figures = result[projection.Service] = [];
            foreach (var figure in projection.Figures)
            {
                if (figure.IsStored)
                {
                    var entry = latest.FirstOrDefault(l => l.Service == projection.Service && l.Figure == figure.Name);
                    figures[figure.Name] = entry is null ? null
                        : new FigureLineage(entry.Kind, entry.EventId, entry.EventType, entry.OccurredAt, entry.EventSource, entry.AppliedAt);
                    continue;
                }
                var last = await db.AuditLog.AsNoTracking()
                    .Where(a => a.TenantId == tenantId && a.Type == figure.WindowEventType)
                    .OrderByDescending(a => a.OccurredAt).FirstOrDefaultAsync(cancellationToken);
                figures[figure.Name] = last is null ? null
                    : new FigureLineage(Model.LineageKinds.Event, last.Id, last.Type, last.OccurredAt, last.Source, last.RecordedAt);
            }
        }
        return result;
    }

    private async Task<Dictionary<string, int>> WindowCountsAsync(IReadOnlyCollection<string> tenantIds, FigureDefinition figure, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - figure.Window!.Value;
        return await db.AuditLog.AsNoTracking()
            .Where(a => tenantIds.Contains(a.TenantId) && a.Type == figure.WindowEventType && a.OccurredAt >= since)
            .GroupBy(a => a.TenantId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
    }

    private static JsonElement Empty(FigureDefinition figure) =>
        figure.Kind == FigureKind.Count ? JsonSerializer.SerializeToElement(0) : JsonSerializer.SerializeToElement<object?>(null);
}
