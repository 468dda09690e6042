using Codex.Platform.Contracts;
using Codex.Platform.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Codex.Platform.Services;

/// <summary>How many events Platform recorded per minute and source, counted from the audit log by <c>recorded_at</c>.</summary>
public sealed class EventRates(PlatformDbContext db, TimeProvider clock)
{
    /// <summary>The last <paramref name="minutes"/> minutes, the current one included, each present even when empty.</summary>
    public async Task<EventsPerMinute> PerMinuteAsync(int minutes, CancellationToken cancellationToken)
    {
        var to = clock.GetUtcNow();
        var from = new DateTimeOffset(to.UtcTicks - to.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(1 - minutes);
        // One range scan of ix_audit_log_recorded_at; minutes are truncated in UTC whatever the session's time zone.
        var rows = await db.Database.SqlQueryRaw<MinuteRow>("""
            SELECT date_trunc('minute', recorded_at, 'UTC') AS minute, source, count(*)::int AS events
            FROM audit_log
            WHERE recorded_at >= {0} AND recorded_at <= {1}
            GROUP BY 1, 2
            """, from, to).ToListAsync(cancellationToken);
        var byMinute = rows.ToLookup(r => r.Minute.UtcTicks);
        return new EventsPerMinute(from, to, Enumerable.Range(0, minutes).Select(i =>
        {
            var minute = from.AddMinutes(i);
            var sources = byMinute[minute.UtcTicks].ToDictionary(r => r.Source, r => r.Events, StringComparer.Ordinal);
            return new MinuteEvents(minute, sources.Values.Sum(), sources);
        }).ToList());
    }

    private sealed record MinuteRow(DateTimeOffset Minute, string Source, int Events);
}
