using Codex.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Codex.Messaging.Admin;

/// <summary>Outbox rows not yet published: how many, and since when the oldest has waited (its event's occurredAt).</summary>
public sealed record OutboxBacklog(int Pending, DateTimeOffset? OldestPendingAt, double? OldestPendingAgeSeconds);

/// <summary>Reads the service's own outbox; <c>AddEventBus&lt;TContext&gt;</c> registers it with the service's DbContext.</summary>
public interface IOutboxBacklogReader
{
    Task<OutboxBacklog> ReadAsync(CancellationToken cancellationToken);
}

internal sealed class OutboxBacklogReader<TContext>(TContext db, TimeProvider clock) : IOutboxBacklogReader where TContext : DbContext
{
    // One statement, so the count and the oldest row agree; ix_outbox_messages_unsent covers exactly these rows.
    private const string BacklogSql = $"""
        SELECT count(*)::int AS pending, min(occurred_at) AS oldest
        FROM {EventBusModel.OutboxTable}
        WHERE sent_at IS NULL
        """;

    public async Task<OutboxBacklog> ReadAsync(CancellationToken cancellationToken)
    {
        var backlog = (await db.Database.SqlQueryRaw<BacklogRow>(BacklogSql).ToListAsync(cancellationToken)).Single();
        // occurredAt is stamped by the writer's clock just before the insert; another replica's clock may run a little ahead.
        double? age = backlog.Oldest is { } oldest ? Math.Round(Math.Max(0, (clock.GetUtcNow() - oldest).TotalSeconds), 3) : null;
        return new OutboxBacklog(backlog.Pending, backlog.Oldest, age);
    }

    private sealed record BacklogRow(int Pending, DateTimeOffset? Oldest);
}
