using Codex.Contracts;
using Codex.Messaging.Inbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Codex.Messaging.Consumer;

/// <summary>
/// Turns one delivery into an effect: checks the envelope and the tenant, then runs the handlers and
/// records the event id in the inbox in one transaction, retrying with backoff up to a limit.
/// </summary>
internal sealed partial class EventProcessor<TContext>(
    IServiceProvider services,
    EventSubscriptions subscriptions,
    IOptions<EventBusOptions> options,
    TimeProvider clock,
    ILogger<EventProcessor<TContext>> logger)
    where TContext : DbContext
{
    public async Task<ProcessingResult> ProcessAsync(ReadOnlyMemory<byte> body, IReadOnlyBasicProperties properties, CancellationToken ct)
    {
        var settings = options.Value;
        if (EventEnvelope.TryParse(body.Span) is not { } envelope)
        {
            return new ProcessingResult.DeadLetter("The message is not an event envelope.", null, 0);
        }
        if (string.IsNullOrWhiteSpace(envelope.TenantId))
        {
            return new ProcessingResult.DeadLetter("The event names no tenant.", null, 0);
        }
        if (!subscriptions.TryGet(envelope.Type, out var subscription))
        {
            LogUnsubscribed(logger, envelope.Type, envelope.Id);
            return new ProcessingResult.Done(Duplicate: false);
        }

        IIntegrationEvent? data;
        try
        {
            data = subscription.Deserialize(envelope.Data);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return new ProcessingResult.DeadLetter($"The event's data cannot be read as {subscription.EventType.Name}: {ex.Message}", ex.GetType().FullName, 0);
        }
        if (data is null || data.TenantId != envelope.TenantId)
        {
            return new ProcessingResult.DeadLetter(
                $"The envelope's tenant '{envelope.TenantId}' differs from the data's tenant '{data?.TenantId}'.", null, 0);
        }

        using var activity = EventBusTelemetry.StartConsume(envelope, properties, settings.Queue);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var applied = await HandleOnceAsync(envelope, data, subscription, attempt, ct);
                if (applied)
                {
                    EventBusTelemetry.Consumed.Add(1, EventBusTelemetry.TypeTag(envelope.Type));
                    EventBusTelemetry.Lag.Record((clock.GetUtcNow() - envelope.OccurredAt).TotalMilliseconds, EventBusTelemetry.TypeTag(envelope.Type));
                }
                return new ProcessingResult.Done(Duplicate: !applied);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return new ProcessingResult.Abandoned();
            }
            catch (Exception ex)
            {
                EventBusTelemetry.Failed.Add(1, EventBusTelemetry.TypeTag(envelope.Type));
                activity?.AddException(ex);
                if (attempt >= settings.MaxAttempts)
                {
                    LogGivingUp(logger, ex, envelope.Type, envelope.Id, attempt);
                    return new ProcessingResult.DeadLetter(ex.Message, ex.GetType().FullName, attempt);
                }
                LogRetrying(logger, ex, envelope.Type, envelope.Id, attempt);
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

    /// <summary>False when the inbox already holds the event: a redelivery, nothing to do.</summary>
    private async Task<bool> HandleOnceAsync(EventEnvelope envelope, IIntegrationEvent data, EventSubscriptions.Subscription subscription, int attempt, CancellationToken ct)
    {
        await using var strategyScope = services.CreateAsyncScope();
        var strategy = strategyScope.ServiceProvider.GetRequiredService<TContext>().Database.CreateExecutionStrategy();
        var context = new EventContext(envelope.Id, envelope.Type, envelope.TenantId!, envelope.OccurredAt, envelope.Source, attempt);

        return await strategy.ExecuteAsync(async token =>
        {
            // A scope per try: a retried attempt must not see the tracked changes of the failed one.
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var inserted = await db.Database.ExecuteSqlAsync(
                $"INSERT INTO inbox_messages (event_id, event_type, handled_at) VALUES ({envelope.Id}, {envelope.Type}, {clock.GetUtcNow()}) ON CONFLICT (event_id) DO NOTHING",
                token);
            if (inserted == 0)
            {
                return false;
            }
            foreach (var handler in subscription.Handlers)
            {
                await handler(scope.ServiceProvider, data, context, token);
            }
            await db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
            return true;
        }, ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No handler for {EventType} ({EventId}); acknowledged")]
    private static partial void LogUnsubscribed(ILogger logger, string eventType, Guid eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling {EventType} {EventId} failed (attempt {Attempt}); retrying")]
    private static partial void LogRetrying(ILogger logger, Exception exception, string eventType, Guid eventId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling {EventType} {EventId} failed {Attempts} times; dead-lettering it")]
    private static partial void LogGivingUp(ILogger logger, Exception exception, string eventType, Guid eventId, int attempts);
}
