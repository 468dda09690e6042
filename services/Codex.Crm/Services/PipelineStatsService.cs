using Codex.Crm.Contracts;
using Codex.Crm.Infrastructure;
using Codex.Crm.Model;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Codex.Crm.Services;

/// <summary>
/// A pipeline's stats per stage: leads in it now with value per currency; how many leads ever entered it
/// and what share of them went further along (to a later stage other than lost); the average stay.
/// </summary>
public sealed class PipelineStatsService(CrmDbContext db, PipelineService pipelines, TenantContext tenant)
{
    // Positions come from the pipeline, so "further along" follows the stage order the tenant set. The columns
    // are snake_case because the naming convention maps StageFlow's properties like any entity's.
    private const string FlowSql = """
        WITH pos AS (SELECT * FROM unnest(@keys, @positions, @kinds) AS p(stage, position, kind)),
        visits AS (
            SELECT h.lead_id, h.entered_at, h.left_at, p.stage, p.position, p.kind
            FROM lead_stage_history h
            JOIN pos p ON p.stage = h.stage
            JOIN leads l ON l.id = h.lead_id AND l.deleted_at IS NULL
            WHERE h.tenant_id = @tenant AND h.pipeline_id = @pipeline)
        SELECT v.stage AS stage,
               count(DISTINCT v.lead_id)::int AS entered,
               count(DISTINCT v.lead_id) FILTER (WHERE EXISTS (
                   SELECT 1 FROM visits w
                   WHERE w.lead_id = v.lead_id AND w.position > v.position AND w.kind <> 'lost' AND w.entered_at >= v.entered_at))::int AS advanced,
               (avg(EXTRACT(EPOCH FROM (v.left_at - v.entered_at))) FILTER (WHERE v.left_at IS NOT NULL) / 86400.0)::float8 AS average_days
        FROM visits v
        GROUP BY v.stage
        """;

    public async Task<PipelineStats> ForAsync(Guid pipelineId, CancellationToken cancellationToken)
    {
        var pipeline = await pipelines.FindAsync(pipelineId, cancellationToken);
        var stages = pipeline.OrderedStages().ToList();
        var current = await db.Leads.AsNoTracking().Where(l => l.PipelineId == pipelineId)
            .GroupBy(l => new { l.Stage, l.Currency })
            .Select(g => new { g.Key.Stage, g.Key.Currency, Count = g.Count(), Value = g.Sum(l => l.Value) })
            .ToListAsync(cancellationToken);
        var flow = (await db.Database.SqlQueryRaw<StageFlow>(FlowSql,
                new NpgsqlParameter("keys", stages.Select(s => s.Key).ToArray()),
                new NpgsqlParameter("positions", stages.Select(s => s.Position).ToArray()),
                new NpgsqlParameter("kinds", stages.Select(s => s.Kind).ToArray()),
                new NpgsqlParameter("tenant", tenant.RequiredTenantId),
                new NpgsqlParameter("pipeline", pipelineId))
            .ToListAsync(cancellationToken)).ToDictionary(f => f.Stage);

        var result = stages.Select(stage =>
        {
            var here = current.Where(c => c.Stage == stage.Key).ToList();
            var moved = flow.GetValueOrDefault(stage.Key);
            var conversion = stage.Kind == LeadStatuses.Open && moved is { Entered: > 0 } ? Math.Round((double)moved.Advanced / moved.Entered, 4) : (double?)null;
            return new StageStats(stage.Key, stage.Name, stage.Kind, here.Sum(c => c.Count),
                here.ToDictionary(c => c.Currency.Trim(), c => c.Value), moved?.Entered ?? 0, conversion,
                moved?.AverageDays is { } days ? Math.Round(days, 2) : null);
        }).ToList();
        return new PipelineStats(pipelineId, result.Sum(s => s.Count), result);
    }

    private sealed record StageFlow(string Stage, int Entered, int Advanced, double? AverageDays);
}
