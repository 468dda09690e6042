using System.Text.Json;
using Codex.Platform.Contracts;
using Codex.Platform.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Codex.Platform.Summaries;

/// <summary>A tenant's figures per service, every declared figure present (0, {} or null before its first event).</summary>
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
                var windowCounts = figure.Kind == FigureKind.Window ? await WindowCountsAsync(tenantIds, figure, cancellationToken) : null;
                foreach (var tenantId in tenantIds)
                {
                    JsonElement Stored(string name) =>
                        stored.FirstOrDefault(f => f.TenantId == tenantId && f.Service == projection.Service && f.Figure == name)?.Value.RootElement.Clone()
                            ?? Empty(projection.Figures.First(f => f.Name == name));
                    result[tenantId][projection.Service][figure.Name] = figure.Kind switch
                    {
                        FigureKind.Window => JsonSerializer.SerializeToElement(windowCounts!.GetValueOrDefault(tenantId)),
                        FigureKind.Average => Average(Stored(figure.SumFigure!), Stored(figure.CountFigure!)),
                        _ => Stored(figure.Name),
                    };
                }
            }
        }
        return result;
    }

    /// <summary>
    /// For each figure, what last set it: the event (or reconciliation) from data_lineage, for a windowed figure the latest
    /// counted event, for an average whichever of its two inputs moved last.
    /// </summary>
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
            Model.LineageEntry? Stored(string name) => latest.FirstOrDefault(l => l.Service == projection.Service && l.Figure == name);
            foreach (var figure in projection.Figures)
            {
                switch (figure.Kind)
                {
                    case FigureKind.Window:
                        var last = await db.AuditLog.AsNoTracking()
                            .Where(a => a.TenantId == tenantId && a.Type == figure.WindowEventType)
                            .OrderByDescending(a => a.OccurredAt).FirstOrDefaultAsync(cancellationToken);
                        figures[figure.Name] = last is null ? null
                            : new FigureLineage(Model.LineageKinds.Event, last.Id, last.Type, last.OccurredAt, last.Source, last.RecordedAt);
                        break;
                    case FigureKind.Average:
                        // An average moves whenever either input does: what last set it is the newer of the two.
                        figures[figure.Name] = Lineage(new[] { Stored(figure.SumFigure!), Stored(figure.CountFigure!) }.OfType<Model.LineageEntry>().MaxBy(l => l.Id));
                        break;
                    default:
                        figures[figure.Name] = Lineage(Stored(figure.Name));
                        break;
                }
            }
        }
        return result;
    }

    private static FigureLineage? Lineage(Model.LineageEntry? entry) =>
        entry is null ? null : new FigureLineage(entry.Kind, entry.EventId, entry.EventType, entry.OccurredAt, entry.EventSource, entry.AppliedAt);

    private async Task<Dictionary<string, int>> WindowCountsAsync(IReadOnlyCollection<string> tenantIds, FigureDefinition figure, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - figure.Window!.Value;
        return await db.AuditLog.AsNoTracking()
            .Where(a => tenantIds.Contains(a.TenantId) && a.Type == figure.WindowEventType && a.OccurredAt >= since)
            .GroupBy(a => a.TenantId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
    }

    private static JsonElement Empty(FigureDefinition figure) => figure.Kind switch
    {
        FigureKind.Count => JsonSerializer.SerializeToElement(0),
        FigureKind.Amounts => JsonSerializer.SerializeToElement(new Dictionary<string, decimal>()),
        _ => JsonSerializer.SerializeToElement<object?>(null),
    };

    // Rounded to one decimal (a probability of 43.3 %); null rather than a division by an empty count.
    private static JsonElement Average(JsonElement sum, JsonElement count) =>
        sum.ValueKind == JsonValueKind.Number && count.ValueKind == JsonValueKind.Number && count.GetDecimal() > 0
            ? JsonSerializer.SerializeToElement(Math.Round(sum.GetDecimal() / count.GetDecimal(), 1, MidpointRounding.AwayFromZero))
            : JsonSerializer.SerializeToElement<object?>(null);
}
