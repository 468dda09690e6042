using Codex.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Codex.Messaging.Outbox;

internal sealed class EventOutbox<TContext>(TContext db, IOptions<EventBusOptions> options, TimeProvider clock, IEventActorAccessor actor) : IEventOutbox
    where TContext : DbContext
{
    /// <summary>PostgreSQL NOTIFY channel that wakes the relay when a transaction with events commits.</summary>
    public const string NotifyChannel = "codex_outbox";

    // One statement, rows in the caller's order: EF would sort the inserts by key, and the identity
    // column (the publish order) would follow the GUIDs instead. NOTIFY is delivered at commit only.
    private const string InsertSql = $"""
        INSERT INTO {EventBusModel.OutboxTable} (id, event_type, tenant_id, occurred_at, traceparent, envelope)
        SELECT id, event_type, tenant_id, occurred_at, traceparent, envelope::jsonb
        FROM unnest(@ids, @types, @tenants, @occurred, @traceparents, @envelopes)
             WITH ORDINALITY AS e(id, event_type, tenant_id, occurred_at, traceparent, envelope, n)
        ORDER BY n;
        SELECT pg_notify('{NotifyChannel}', '');
        """;

    public async Task SaveChangesAsync(IEnumerable<IIntegrationEvent> events, CancellationToken cancellationToken = default)
    {
        var envelopes = events.Select(ToEnvelope).ToList();

        if (db.Database.CurrentTransaction is not null)
        {
            await db.SaveChangesAsync(cancellationToken);
            await InsertAsync(envelopes, cancellationToken);
            return;
        }

        // Changes are accepted only after the commit, so a retried attempt saves them again.
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, ct);
            await InsertAsync(envelopes, ct);
            await transaction.CommitAsync(ct);
        }, cancellationToken);
        db.ChangeTracker.AcceptAllChanges();
    }

    private EventEnvelope ToEnvelope(IIntegrationEvent @event) => string.IsNullOrWhiteSpace(@event.TenantId)
        ? throw new ArgumentException($"{@event.GetType().Name} names no tenant; every integration event belongs to one.", nameof(@event))
        : EventEnvelope.Create(@event, options.Value.ServiceName, clock, actor.Actor);

    private Task InsertAsync(List<EventEnvelope> envelopes, CancellationToken ct) => envelopes.Count == 0
        ? Task.CompletedTask
        : db.Database.ExecuteSqlRawAsync(InsertSql,
            [
                Array("ids", NpgsqlDbType.Uuid, envelopes.Select(e => e.Id)),
                Array("types", NpgsqlDbType.Text, envelopes.Select(e => e.Type)),
                Array("tenants", NpgsqlDbType.Text, envelopes.Select(e => e.TenantId)),
                Array("occurred", NpgsqlDbType.TimestampTz, envelopes.Select(e => e.OccurredAt)),
                Array("traceparents", NpgsqlDbType.Text, envelopes.Select(e => e.Traceparent)),
                Array("envelopes", NpgsqlDbType.Text, envelopes.Select(e => e.ToJson())),
            ],
            ct);

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType type, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.ToArray() };
}
