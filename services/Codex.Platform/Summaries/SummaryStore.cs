using System.Globalization;
using System.Text.Json;
using Codex.Messaging;
using Codex.Platform.Infrastructure;
using Codex.Platform.Model;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Codex.Platform.Summaries;

/// <summary>
/// Writes figures atomically in SQL (so replicas of Platform never lose an increment) inside the
/// consumer's transaction, and records each change that moved a value in <c>data_lineage</c>.
/// </summary>
public sealed class SummaryStore(PlatformDbContext db, TimeProvider clock)
{
    private const string CountSql = """
        INSERT INTO tenant_summaries (tenant_id, service, figure, value, updated_at)
        VALUES (@tenant, @service, @figure, to_jsonb(@delta::numeric), @now)
        ON CONFLICT (tenant_id, service, figure) DO UPDATE
        SET value = to_jsonb(COALESCE((tenant_summaries.value #>> '{{}}')::numeric, 0) + @delta::numeric), updated_at = @now
        RETURNING value::text AS "Value"
        """;

    // (Braces are doubled: EF formats raw SQL with string.Format.)
    // Timestamps are kept as ISO-8601 text; a later event moves the figure, an older one leaves it.
    private const string LatestSql = """
        INSERT INTO tenant_summaries (tenant_id, service, figure, value, updated_at)
        VALUES (@tenant, @service, @figure, to_jsonb(@at::text), @now)
        ON CONFLICT (tenant_id, service, figure) DO UPDATE
        SET value = CASE WHEN jsonb_typeof(tenant_summaries.value) <> 'string' OR (tenant_summaries.value #>> '{{}}')::timestamptz < @at::timestamptz
                         THEN to_jsonb(@at::text) ELSE tenant_summaries.value END,
            updated_at = @now
        RETURNING value::text AS "Value"
        """;

    // One key of the object moves; the others are kept. A value that is not an object (drift) starts again from {}.
    private const string AmountsSql = """
        INSERT INTO tenant_summaries (tenant_id, service, figure, value, updated_at)
        VALUES (@tenant, @service, @figure, jsonb_build_object(@key::text, @delta::numeric), @now)
        ON CONFLICT (tenant_id, service, figure) DO UPDATE
        SET value = (CASE WHEN jsonb_typeof(tenant_summaries.value) = 'object' THEN tenant_summaries.value ELSE '{{}}'::jsonb END)
                    || jsonb_build_object(@key::text, COALESCE((tenant_summaries.value ->> @key::text)::numeric, 0) + @delta::numeric),
            updated_at = @now
        RETURNING value::text AS "Value"
        """;

    public async Task ApplyAsync(EventEnvelope envelope, string service, SummaryChanges changes, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var change in changes.All)
        {
            var (sql, proposed) = change.Kind switch
            {
                FigureKind.Count => (CountSql, new NpgsqlParameter("delta", change.Delta!.Value)),
                FigureKind.Latest => (LatestSql, new NpgsqlParameter("at", Iso(change.At!.Value))),
                FigureKind.Amounts => (AmountsSql, new NpgsqlParameter("delta", change.Delta!.Value)),
                _ => throw new InvalidOperationException($"{change.Kind} figures are not stored."),
            };
            List<object> parameters =
            [
                new NpgsqlParameter("tenant", envelope.TenantId), new NpgsqlParameter("service", service),
                new NpgsqlParameter("figure", change.Figure), new NpgsqlParameter("now", now), proposed,
            ];
            if (change.Kind == FigureKind.Amounts)
            {
                parameters.Add(new NpgsqlParameter("key", change.Key!));
            }
            var value = (await db.Database.SqlQueryRaw<string>(sql, [.. parameters]).ToListAsync(cancellationToken)).Single();
            if (change.Kind == FigureKind.Latest && value.Trim('"') != (string)proposed.Value!)
            {
                continue;   // an older login than the one recorded: the figure did not move
            }
            db.DataLineage.Add(new LineageEntry
            {
                TenantId = envelope.TenantId!, Service = service, Figure = change.Figure, Value = JsonDocument.Parse(value),
                Kind = LineageKinds.Event, EventId = envelope.Id, EventType = envelope.Type, EventSource = envelope.Source,
                OccurredAt = envelope.OccurredAt, AppliedAt = now,
            });
        }
    }

    /// <summary>Sets a figure to the service's own answer and records the repair.</summary>
    public async Task RepairAsync(string tenantId, string service, string figure, JsonElement? previous, JsonElement actual, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var stored = await db.TenantSummaries.FindAsync([tenantId, service, figure], cancellationToken);
        var value = JsonDocument.Parse(actual.GetRawText());
        if (stored is null)
        {
            db.TenantSummaries.Add(new SummaryFigure { TenantId = tenantId, Service = service, Figure = figure, Value = value, UpdatedAt = now });
        }
        else
        {
            stored.Value = value;
            stored.UpdatedAt = now;
        }
        db.DataLineage.Add(new LineageEntry
        {
            TenantId = tenantId, Service = service, Figure = figure, Value = JsonDocument.Parse(actual.GetRawText()),
            Previous = previous is { } p ? JsonDocument.Parse(p.GetRawText()) : null, Kind = LineageKinds.Reconciliation, AppliedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
