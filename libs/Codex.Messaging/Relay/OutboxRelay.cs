using System.Diagnostics;
using Codex.Messaging.Consumer;
using Codex.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using RabbitMQ.Client;

namespace Codex.Messaging.Relay;

/// <summary>
/// Publishes committed outbox rows with publisher confirms and persistent delivery, then marks them sent.
/// A transaction-scoped advisory lock lets one replica publish at a time, so rows leave in commit order
/// and no row is published by two relays. It wakes on NOTIFY, polls as a fallback, and backs off while
/// RabbitMQ or PostgreSQL is down. A crash between confirm and commit republishes; inboxes absorb that.
/// </summary>
internal sealed partial class OutboxRelay<TContext>(
    IServiceProvider services,
    IOptions<EventBusOptions> options,
    TimeProvider clock,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    // pg_try_advisory_xact_lock key: "codexobx" as a 64-bit number.
    private const long RelayLockKey = 0x636f6465786f6278;

    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly PublisherChannel _channel = new(services);
    private long _lastBacklogReport;

    /// <summary>Asks the relay to look for rows now.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var listener = Task.Run(() => ListenAsync(stoppingToken), stoppingToken);
        var backoff = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await PublishBatchAsync(settings, stoppingToken) == settings.RelayBatchSize)
                {
                }
                backoff = TimeSpan.Zero;
                await _wake.WaitAsync(settings.RelayPollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                backoff = TimeSpan.FromMilliseconds(Math.Min(settings.RelayMaxBackoff.TotalMilliseconds, Math.Max(100, backoff.TotalMilliseconds * 2)));
                LogPublishFailed(logger, ex, backoff.TotalMilliseconds);
                await _channel.ResetAsync();
                await Task.Delay(backoff, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        await _channel.DisposeAsync();
        await listener.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task<int> PublishBatchAsync(EventBusOptions settings, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async token =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var leader = await db.Database
                .SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({RelayLockKey}) AS \"Value\"")
                .SingleAsync(token);
            if (!leader)
            {
                return 0;   // another replica is publishing and will drain the outbox
            }

            var batch = await db.Set<OutboxMessage>()
                .Where(m => m.SentAt == null)
                .OrderBy(m => m.Sequence)
                .Take(settings.RelayBatchSize)
                .AsNoTracking()
                .ToListAsync(token);
            if (batch.Count > 0)
            {
                var channel = await _channel.GetAsync(c => Topology.DeclareExchangesAsync(c, settings, token), token);
                await PublishAsync(channel, settings, batch, token);
                var ids = batch.Select(m => m.Id).ToArray();
                var sentAt = clock.GetUtcNow();
                await db.Set<OutboxMessage>().Where(m => ids.Contains(m.Id))
                    .ExecuteUpdateAsync(set => set.SetProperty(m => m.SentAt, sentAt), token);
            }
            await ReportBacklogAsync(db, token);
            await transaction.CommitAsync(token);

            foreach (var row in batch)
            {
                EventBusTelemetry.Published.Add(1, EventBusTelemetry.TypeTag(row.EventType));
            }
            return batch.Count;
        }, ct);
    }

    private static async Task PublishAsync(IChannel channel, EventBusOptions settings, List<OutboxMessage> batch, CancellationToken ct)
    {
        var confirms = new List<Task>(batch.Count);
        foreach (var row in batch)
        {
            using var activity = EventBusTelemetry.StartPublish(row.EventType, row.TenantId, row.Id, row.Traceparent, settings.Exchange);
            var properties = new BasicProperties
            {
                MessageId = row.Id.ToString(),
                Type = row.EventType,
                ContentType = "application/json",
                DeliveryMode = DeliveryModes.Persistent,
                Timestamp = new AmqpTimestamp(row.OccurredAt.ToUnixTimeSeconds()),
                AppId = settings.ServiceName,
                Headers = new Dictionary<string, object?>
                {
                    [EventBusTelemetry.TraceparentHeader] = activity?.Id ?? row.Traceparent,
                    [EventBusTelemetry.TenantHeader] = row.TenantId,
                },
            };
            // Issued together, confirmed together: the broker confirms a window of publishes at once.
            confirms.Add(channel.BasicPublishAsync(settings.Exchange, row.EventType, mandatory: false, properties,
                System.Text.Encoding.UTF8.GetBytes(row.Envelope), ct).AsTask());
        }
        await Task.WhenAll(confirms);
    }

    // The backlog gauge is refreshed at most once a second; counting is not free on a long outbox.
    private async Task ReportBacklogAsync(TContext db, CancellationToken ct)
    {
        var now = Stopwatch.GetTimestamp();
        if (Stopwatch.GetElapsedTime(_lastBacklogReport, now) < TimeSpan.FromSeconds(1))
        {
            return;
        }
        _lastBacklogReport = now;
        EventBusTelemetry.ReportBacklog(await db.Set<OutboxMessage>().LongCountAsync(m => m.SentAt == null, ct));
    }

    // LISTEN on a connection of its own; reconnects after failures. Polling covers the gaps.
    private async Task ListenAsync(CancellationToken ct)
    {
        string? connectionString;
        await using (var scope = services.CreateAsyncScope())
        {
            // Unpooled: with No Reset On Close, a pooled connection would keep the LISTEN after it is returned.
            connectionString = new NpgsqlConnectionStringBuilder(scope.ServiceProvider.GetRequiredService<TContext>().Database.GetConnectionString()) { Pooling = false }.ConnectionString;
        }
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {EventOutbox<TContext>.NotifyChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }
                Wake();   // rows may have been committed while nobody listened
                while (!ct.IsCancellationRequested)
                {
                    await connection.WaitAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogListenFailed(logger, ex);
                await Task.Delay(options.Value.RelayMaxBackoff, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay could not publish; retrying in {DelayMs} ms")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay lost its LISTEN connection; polling until it is back")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);
}
