using System.Diagnostics;
using Codex.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Codex.Messaging.Consumer;

/// <summary>
/// Turns deliveries into effects. Each is checked (envelope, tenant), then the handlers run and the
/// event ids go into the inbox in one transaction. Deliveries that arrived together share that
/// transaction, in order (one commit instead of one per message); if the shared one fails, each is
/// taken alone and retried with backoff up to a limit.
/// </summary>
internal sealed partial class EventProcessor<TContext>(
    IServiceProvider services,
    EventSubscriptions subscriptions,
    IOptions<EventBusOptions> options,
    TimeProvider clock,
    ILogger<EventProcessor<TContext>> logger)
    where TContext : DbContext
{
    // In order of arrival; ON CONFLICT skips ids already handled (redeliveries).
    private const string InboxInsertSql = """
        INSERT INTO inbox_messages (event_id, event_type, handled_at)
        SELECT id, event_type, @handled_at FROM unnest(@ids, @types) AS e(id, event_type)
        ON CONFLICT (event_id) DO NOTHING
        RETURNING event_id AS "Value"
        """;

    // Data and Subscription are null for a type only all-events handlers take.
    private sealed record Accepted(int Index, EventEnvelope Envelope, IIntegrationEvent? Data, EventSubscriptions.Subscription? Subscription, Delivery Delivery);

    public async Task<ProcessingResult[]> ProcessAsync(IReadOnlyList<Delivery> deliveries, CancellationToken ct)
    {
        var results = new ProcessingResult[deliveries.Count];
        var accepted = new List<Accepted>(deliveries.Count);
        for (var i = 0; i < deliveries.Count; i++)
        {
            if (Check(deliveries[i], out var accept) is { } rejection)
            {
                results[i] = rejection;
            }
            else
            {
                accepted.Add(accept! with { Index = i });
            }
        }

        if (accepted.Count > 1)
        {
            try
            {
                await HandleTogetherAsync(accepted, attempt: 1, ct, results);
                return results;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                accepted.ForEach(a => results[a.Index] = new ProcessingResult.Abandoned());
                return results;
            }
            catch (Exception ex)
            {
                // One of them failed; find out which by taking them one at a time.
                LogBatchFailed(logger, ex, accepted.Count);
            }
        }
        foreach (var one in accepted)
        {
            results[one.Index] = await HandleWithRetriesAsync(one, ct);
        }
        return results;
    }

    /// <summary>
    /// Null when the delivery can be handled (<paramref name="accepted"/> says how); otherwise what to
    /// do with it instead. The envelope is parsed once.
    /// </summary>
    private ProcessingResult? Check(Delivery delivery, out Accepted? accepted)
    {
        accepted = null;
        if (EventEnvelope.TryParse(delivery.Body.Span) is not { } envelope)
        {
            return new ProcessingResult.DeadLetter("The message is not an event envelope.", null, 0);
        }
        if (string.IsNullOrWhiteSpace(envelope.TenantId))
        {
            return new ProcessingResult.DeadLetter("The event names no tenant.", null, 0);
        }
        if (EventOrigin.Forged(envelope, delivery.RoutingKey, options.Value) is { } forged)
        {
            return new ProcessingResult.DeadLetter(forged, null, 0);
        }
        if (!subscriptions.TryGet(envelope.Type, out var subscription))
        {
            if (subscriptions.AllEventHandlers.Count > 0)
            {
                accepted = new Accepted(0, envelope, null, null, delivery);
                return null;
            }
            LogUnsubscribed(logger, envelope.Type, envelope.Id);
            return new ProcessingResult.Done(Duplicate: false);
        }
        if (TryRead(envelope, subscription) is not { } data)
        {
            return new ProcessingResult.DeadLetter($"The event's data cannot be read as {subscription.EventType.Name}.", typeof(System.Text.Json.JsonException).FullName, 0);
        }
        if (data.TenantId != envelope.TenantId)
        {
            return new ProcessingResult.DeadLetter(
                $"The envelope's tenant '{envelope.TenantId}' differs from the data's tenant '{data.TenantId}'.", null, 0);
        }
        accepted = new Accepted(0, envelope, data, subscription, delivery);
        return null;
    }

    private static IIntegrationEvent? TryRead(EventEnvelope envelope, EventSubscriptions.Subscription subscription)
    {
        try
        {
            return subscription.Deserialize(envelope.Data);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private async Task<ProcessingResult> HandleWithRetriesAsync(Accepted one, CancellationToken ct)
    {
        var settings = options.Value;
        var results = new ProcessingResult[1];
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await HandleTogetherAsync([one with { Index = 0 }], attempt, ct, results);
                return results[0];
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return new ProcessingResult.Abandoned();
            }
            catch (Exception ex)
            {
                EventBusTelemetry.Failed.Add(1, EventBusTelemetry.TypeTag(one.Envelope.Type));
                if (attempt >= settings.MaxAttempts)
                {
                    LogGivingUp(logger, ex, one.Envelope.Type, one.Envelope.Id, attempt);
                    return new ProcessingResult.DeadLetter(ex.Message, ex.GetType().FullName, attempt);
                }
                LogRetrying(logger, ex, one.Envelope.Type, one.Envelope.Id, attempt);
                try
                {
                    await Task.Delay(settings.RetryBaseDelay * Math.Pow(2, attempt - 1), clock, ct);
                }
                catch (OperationCanceledException)
                {
                    return new ProcessingResult.Abandoned();
                }
            }
        }
    }

    /// <summary>One transaction: inbox rows, then the handlers of the events not seen before, in order.</summary>
    private async Task HandleTogetherAsync(List<Accepted> batch, int attempt, CancellationToken ct, ProcessingResult[] results)
    {
        await using var strategyScope = services.CreateAsyncScope();
        var strategy = strategyScope.ServiceProvider.GetRequiredService<TContext>().Database.CreateExecutionStrategy();
        var applied = await strategy.ExecuteAsync(async token =>
        {
            // A scope per try: a retried attempt must not see the tracked changes of the failed one.
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var fresh = await db.Database.SqlQueryRaw<Guid>(InboxInsertSql,
                    new NpgsqlParameter("handled_at", clock.GetUtcNow()),
                    new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = batch.Select(a => a.Envelope.Id).ToArray() },
                    new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = batch.Select(a => a.Envelope.Type).ToArray() })
                .ToListAsync(token);
            // Each new id once, even when the same message arrived twice in this batch.
            var unseen = fresh.ToHashSet();
            var toHandle = batch.Where(a => unseen.Remove(a.Envelope.Id)).ToList();
            foreach (var one in toHandle)
            {
                using var activity = EventBusTelemetry.StartConsume(one.Envelope, one.Delivery.Properties, options.Value.Queue);
                var context = new EventContext(one.Envelope.Id, one.Envelope.Type, one.Envelope.TenantId!, one.Envelope.OccurredAt, one.Envelope.Source, attempt)
                {
                    Actor = one.Envelope.Actor,
                };
                try
                {
                    foreach (var handler in one.Subscription?.Handlers ?? [])
                    {
                        await handler(scope.ServiceProvider, one.Data!, context, token);
                    }
                    foreach (var handler in subscriptions.AllEventHandlers)
                    {
                        await handler(scope.ServiceProvider, one.Envelope, context, token);
                    }
                }
                catch (Exception ex)
                {
                    activity?.AddException(ex);
                    activity?.SetStatus(ActivityStatusCode.Error);
                    throw;
                }
            }
            await db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
            return toHandle.Select(a => a.Index).ToHashSet();
        }, ct);

        var now = clock.GetUtcNow();
        foreach (var one in batch)
        {
            var wasApplied = applied.Contains(one.Index);
            results[one.Index] = new ProcessingResult.Done(Duplicate: !wasApplied);
            if (wasApplied)
            {
                EventBusTelemetry.Consumed.Add(1, EventBusTelemetry.TypeTag(one.Envelope.Type));
                EventBusTelemetry.Lag.Record((now - one.Envelope.OccurredAt).TotalMilliseconds, EventBusTelemetry.TypeTag(one.Envelope.Type));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No handler for {EventType} ({EventId}); acknowledged")]
    private static partial void LogUnsubscribed(ILogger logger, string eventType, Guid eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "A batch of {Count} events failed together; handling them one at a time")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling {EventType} {EventId} failed (attempt {Attempt}); retrying")]
    private static partial void LogRetrying(ILogger logger, Exception exception, string eventType, Guid eventId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling {EventType} {EventId} failed {Attempts} times; dead-lettering it")]
    private static partial void LogGivingUp(ILogger logger, Exception exception, string eventType, Guid eventId, int attempts);
}
