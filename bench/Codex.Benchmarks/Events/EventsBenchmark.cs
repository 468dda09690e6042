using System.Diagnostics;
using System.Globalization;
using System.Text;
using Codex.Contracts;
using Codex.Messaging;
using Codex.Messaging.Outbox;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace Codex.Benchmarks.Events;

/// <summary>
/// <c>eng/bench.sh events</c>, in one process and one run:
/// <list type="number">
/// <item>raw: RabbitMQ.Client confirmed, persistent publishes of an outbox envelope's bytes, in windows of
/// the relay's batch size, on a channel with the relay's options;</item>
/// <item>relay: the same number of events pre-written to the outbox, then drained by the real relay;</item>
/// <item>lag: events at a steady rate, one per transaction, through outbox, relay, broker and consumer
/// (inbox row committed), for a fixed time after a warm-up; split in two with the rows' timestamps.</item>
/// </list>
/// Both throughput runs publish to <c>codex.events</c> with the event's routing key into the same durable,
/// unconsumed queue, emptied between runs.
/// </summary>
internal static class EventsBenchmark
{
    public const string MeasuredTenant = "acme-prod";
    public const string WarmupTenant = "acme-warmup";

    /// <summary>EventBusOptions.RelayBatchSize's default: the relay publishes and confirms this many at once.</summary>
    private const int Window = 500;

    /// <summary>Events per outbox transaction when filling the outbox before the relay runs.</summary>
    private const int FillTransaction = 500;

    /// <summary>Concurrent writers of the lag run: one event per transaction needs a few at 1 000/s.</summary>
    private const int LagWriters = 16;

    /// <summary>Events pushed through the whole path before the paced run.</summary>
    private const int LagPrimeEvents = 10_000;

    /// <summary>The paced run's first seconds, left out of the figures.</summary>
    private static readonly TimeSpan LagWarmup = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan LagDrainTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(CancellationToken ct)
    {
        var settings = EventsSettings.FromEnvironment();
        var server = Figures.ConnectionString("postgres");
        var messaging = Figures.ConnectionString("messaging");
        var routingKey = EventTypes.Of<LeadStageChanged>().Name;

        await using var database = await BenchDatabase.CreateAsync(server, ct);
        await using var broker = await BenchBroker.ConnectAsync(messaging, ct);
        broker.DeleteOnDispose($"codex.{BenchHost.ServiceName}");
        broker.DeleteOnDispose($"codex.{BenchHost.ServiceName}.dlq");

        // The bytes the relay publishes: the envelope as PostgreSQL's jsonb gives it back.
        var envelope = EventEnvelope.Create(BenchHost.NewEvent(MeasuredTenant), BenchHost.ServiceName, TimeProvider.System);
        var body = Encoding.UTF8.GetBytes(await database.AsJsonbTextAsync(Encoding.UTF8.GetString(envelope.ToBytes()), ct));

        Console.WriteLine($"events on {Environment.ProcessorCount} cores: .NET {Environment.Version}, PostgreSQL {await database.ServerVersionAsync(ct)}, " +
                          $"RabbitMQ {broker.ServerVersion}, {routingKey} events of {Figures.N(body.Length)} bytes");

        await broker.DeclareSinkAsync(routingKey, ct);
        var raw = await MeasureRawAsync(broker, body, routingKey, settings, ct);
        Console.WriteLine($"raw confirmed publish: {Figures.N(raw)} msg/s ({Figures.N(settings.Count)} msgs, {Figures.N(body.Length)} bytes)");

        var relay = await MeasureRelayAsync(database, broker, messaging, settings, ct);
        Console.WriteLine($"relay publish:         {Figures.N(relay.Rate)} events/s ({Figures.N(settings.Count)} events, " +
                          $"{Figures.N(relay.MeanBytes)} bytes, {relay.Batches} batches, drained {relay.Wall.TotalSeconds:0.0} s after host start)");

        // From here the events go to the consuming service's queue only.
        await broker.DeleteQueueAsync(BenchBroker.SinkQueue, ct);
        await database.ExecuteAsync("TRUNCATE outbox_messages", ct);
        var lag = await MeasureLagAsync(database, messaging, settings, ct);
        var handled = lag.Handled == lag.Written
            ? $"{Figures.N(lag.Handled)} events"
            : $"{Figures.N(lag.Handled)} of {Figures.N(lag.Written)} events handled within {LagDrainTimeout.TotalSeconds:0} s";
        Console.WriteLine($"lag @ {Figures.N(settings.LagRate)} events/s: p50 {Figures.N(lag.P50)} ms, p99 {Figures.N(lag.P99)} ms, " +
                          $"max {Figures.N(lag.Max)} ms ({handled}, achieved {Figures.N(lag.Achieved)}/s)");
        Console.WriteLine($"lag split, p50/p99: outbox write to relay confirm {Figures.N(lag.Stages.RelayP50)}/{Figures.N(lag.Stages.RelayP99)} ms, " +
                          $"relay confirm to consumer start {Figures.N(lag.Stages.ConsumerP50)}/{Figures.N(lag.Stages.ConsumerP99)} ms");

        var ratio = relay.Rate / raw;
        Console.WriteLine($"targets (2-core reference machine): relay/raw >= 0.50 {Figures.Met(ratio >= 0.5)}, " +
                          $"p99 <= 250 ms at 1 000 events/s {Figures.Met(lag.P99 <= 250 && lag.Handled == lag.Written && settings.LagRate >= 1000)}");
        Console.WriteLine($"events relay/raw throughput ratio: {ratio.ToString("0.00", CultureInfo.InvariantCulture)}");
        return 0;
    }

    // ------------------------------------------------------------------------------------------------
    // raw

    private static async Task<double> MeasureRawAsync(BenchBroker broker, byte[] body, string routingKey, EventsSettings settings, CancellationToken ct)
    {
        Figures.Progress($"raw: {Figures.N(settings.Warmup)} warm-up publishes, then {Figures.N(settings.Count)} timed");
        await using var channel = await broker.CreatePublisherChannelAsync(ct);
        await PublishRawAsync(channel, body, routingKey, settings.Warmup, ct);
        await broker.PurgeSinkAsync(ct);

        var started = Stopwatch.GetTimestamp();
        await PublishRawAsync(channel, body, routingKey, settings.Count, ct);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var stored = await broker.PurgeSinkAsync(ct);
        if (stored != settings.Count)
        {
            throw new BenchmarkException($"raw: the sink queue held {stored} messages, not {settings.Count}");
        }
        return settings.Count / elapsed.TotalSeconds;
    }

    /// <summary>What the relay does per batch, minus the database: properties of the same shape, a window issued at once, confirmed together.</summary>
    private static async Task PublishRawAsync(IChannel channel, byte[] body, string routingKey, int count, CancellationToken ct)
    {
        var confirms = new List<Task>(Window);
        for (var sent = 0; sent < count; sent += Window)
        {
            confirms.Clear();
            for (var i = 0; i < Math.Min(Window, count - sent); i++)
            {
                var properties = new BasicProperties
                {
                    MessageId = Guid.CreateVersion7().ToString(),
                    Type = routingKey,
                    ContentType = "application/json",
                    DeliveryMode = DeliveryModes.Persistent,
                    Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
                    AppId = BenchHost.ServiceName,
                    Headers = new Dictionary<string, object?>
                    {
                        [EventBusTelemetry.TraceparentHeader] = $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01",
                        [EventBusTelemetry.TenantHeader] = MeasuredTenant,
                    },
                };
                confirms.Add(channel.BasicPublishAsync(BenchBroker.Exchange, routingKey, mandatory: false, properties, body, ct).AsTask());
            }
            await Task.WhenAll(confirms);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // relay

    private sealed record RelayResult(double Rate, double MeanBytes, long Batches, TimeSpan Wall);

    private static async Task<RelayResult> MeasureRelayAsync(BenchDatabase database, BenchBroker broker, string messaging, EventsSettings settings, CancellationToken ct)
    {
        // Warm-up in this process (JIT, EF's compiled queries): a first host drains a smaller outbox.
        Figures.Progress($"relay: {Figures.N(settings.Warmup)} warm-up events");
        await using (var warm = BenchHost.Build(database.ConnectionString, messaging))
        {
            await warm.StartAsync(ct);
            await FillOutboxAsync(warm.Services, settings.Warmup, MeasuredTenant, ct);
            await database.WaitUntilSentAsync(DrainTimeout, ct);
        }
        await database.ExecuteAsync("TRUNCATE outbox_messages", ct);
        await broker.PurgeSinkAsync(ct);

        // The backlog is written before the relay starts, so the relay only reads, publishes and marks.
        Figures.Progress($"relay: writing {Figures.N(settings.Count)} events to the outbox, then draining it");
        await using var service = BenchHost.Build(database.ConnectionString, messaging);
        await FillOutboxAsync(service.Services, settings.Count, MeasuredTenant, ct);
        // Statistics of a table in service, not of the empty one; no VACUUM: setting the fresh rows' hint
        // bits on first read is part of the relay's work in production too.
        await database.ExecuteAsync("ANALYZE outbox_messages", ct);

        var started = Stopwatch.GetTimestamp();
        await service.StartAsync(ct);
        await database.WaitUntilSentAsync(DrainTimeout, ct);
        var wall = Stopwatch.GetElapsedTime(started);
        await service.StopAsync();

        var sent = await database.SentRowsAsync(ct);
        var stored = await broker.PurgeSinkAsync(ct);
        if (sent.Rows != settings.Count || stored != settings.Count)
        {
            throw new BenchmarkException($"relay: {sent.Rows} outbox rows sent and {stored} messages in the sink queue, not {settings.Count}");
        }
        // Host start-up (connections, first query) is left out: rows after the first batch over the time
        // from the first batch's confirm to the last's. One batch only: the wall time is all there is.
        var rate = sent.Batches > 1 && sent.Seconds > 0
            ? (sent.Rows - sent.FirstBatchRows) / sent.Seconds
            : sent.Rows / wall.TotalSeconds;
        return new RelayResult(rate, sent.MeanBytes, sent.Batches, wall);
    }

    /// <summary>Writes <paramref name="count"/> events through the outbox, <see cref="FillTransaction"/> per transaction.</summary>
    private static async Task FillOutboxAsync(IServiceProvider services, int count, string tenant, CancellationToken ct)
    {
        for (var written = 0; written < count; written += FillTransaction)
        {
            var events = Enumerable.Range(0, Math.Min(FillTransaction, count - written))
                .Select(_ => (IIntegrationEvent)BenchHost.NewEvent(tenant))
                .ToList();
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IEventOutbox>().SaveChangesAsync(events, ct);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // lag

    private sealed record LagResult(long Written, long Handled, double Achieved, double P50, double P99, double Max, LagStages Stages);

    private static async Task<LagResult> MeasureLagAsync(BenchDatabase database, string messaging, EventsSettings settings, CancellationToken ct)
    {
        using var recorder = new LagRecorder();
        await using var service = BenchHost.Build(database.ConnectionString, messaging,
            bus => bus.AddSubscription<LeadStageChanged, LagHandler>(),
            services => services.AddSingleton(recorder));
        await service.StartAsync(ct);

        // The consumer declares and binds its queue as it starts; events routed before that are lost.
        Figures.Progress("lag: waiting for the consumer");
        var waited = Stopwatch.GetTimestamp();
        while (recorder.Handled == 0)
        {
            if (Stopwatch.GetElapsedTime(waited) > TimeSpan.FromSeconds(60))
            {
                throw new BenchmarkException("lag: the consumer handled no event within 60 s");
            }
            await WriteAsync(service.Services, WarmupTenant, 1, ct);
            await Task.Delay(200, ct);
        }

        // The consumer's code is cold (JIT tiers, EF's compiled commands): it handles a few hundred events/s
        // at first and over 1 000/s some seconds later. Warm the whole path, outbox to inbox, before pacing.
        Figures.Progress($"lag: {Figures.N(LagPrimeEvents)} warm-up events through outbox, relay and consumer");
        var primed = recorder.Handled + LagPrimeEvents;
        await FillOutboxAsync(service.Services, LagPrimeEvents, WarmupTenant, ct);
        waited = Stopwatch.GetTimestamp();
        while (recorder.Handled < primed)
        {
            if (Stopwatch.GetElapsedTime(waited) > DrainTimeout)
            {
                throw new BenchmarkException($"lag: the consumer handled {recorder.Handled} events of {primed} within {DrainTimeout.TotalSeconds:0} s");
            }
            await Task.Delay(50, ct);
        }

        var warmup = (int)(settings.LagRate * LagWarmup.TotalSeconds);
        var measured = settings.LagRate * settings.LagSeconds;
        Figures.Progress($"lag: {Figures.N(settings.LagRate)} events/s, {settings.LagPerTransaction} per transaction, " +
                         $"for {LagWarmup.TotalSeconds:0} s of warm-up and {settings.LagSeconds} s measured");
        var writeTime = await WritePacedAsync(service.Services, settings.LagRate, settings.LagPerTransaction, warmup, measured, ct);

        var drained = Stopwatch.GetTimestamp();
        while (recorder.MeasuredCount < measured && Stopwatch.GetElapsedTime(drained) < LagDrainTimeout)
        {
            await Task.Delay(50, ct);
        }
        await service.StopAsync();

        var lags = recorder.Measured;
        if (lags.Length == 0)
        {
            throw new BenchmarkException($"lag: none of the {measured} measured events was handled within {LagDrainTimeout.TotalSeconds:0} s");
        }
        Array.Sort(lags);
        return new LagResult(measured, lags.Length, measured / writeTime.TotalSeconds,
            Figures.Percentile(lags, 0.50), Figures.Percentile(lags, 0.99), lags[^1],
            await database.LagStagesAsync(MeasuredTenant, ct));
    }

    /// <summary>
    /// Writes transaction t (of <paramref name="perTransaction"/> events) at start + t × perTransaction / rate,
    /// from <see cref="LagWriters"/> writers (one that falls behind writes at once). The first
    /// <paramref name="warmup"/> events are the warm-up tenant's. Returns the time the measured events took.
    /// </summary>
    private static async Task<TimeSpan> WritePacedAsync(IServiceProvider services, int rate, int perTransaction, int warmup, int measured, CancellationToken ct)
    {
        var transactions = (warmup + measured) / perTransaction;
        var interval = TimeSpan.FromSeconds((double)perTransaction / rate);
        var next = -1L;
        var started = Stopwatch.GetTimestamp();
        var writers = Enumerable.Range(0, LagWriters).Select(_ => Task.Run(async () =>
        {
            for (var t = Interlocked.Increment(ref next); t < transactions; t = Interlocked.Increment(ref next))
            {
                var wait = interval * t - Stopwatch.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, ct);
                }
                await WriteAsync(services, t * perTransaction < warmup ? WarmupTenant : MeasuredTenant, perTransaction, ct);
            }
        }, ct)).ToList();
        await Task.WhenAll(writers);
        return Stopwatch.GetElapsedTime(started) - interval * (warmup / perTransaction);
    }

    private static async Task WriteAsync(IServiceProvider services, string tenant, int events, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IEventOutbox>().SaveChangesAsync(
            Enumerable.Range(0, events).Select(_ => (IIntegrationEvent)BenchHost.NewEvent(tenant)).ToList(), ct);
    }
}

internal sealed record EventsSettings(int Count, int Warmup, int LagRate, int LagSeconds, int LagPerTransaction)
{
    public static EventsSettings FromEnvironment()
    {
        var count = Figures.Setting("CODEX_BENCH_EVENTS", 50_000, 1_000);
        var rate = Figures.Setting("CODEX_BENCH_LAG_RATE", 1_000, 10);
        var perTransaction = Figures.Setting("CODEX_BENCH_LAG_PER_TX", 1, 1);
        if (rate % perTransaction != 0)
        {
            throw new BenchmarkException($"CODEX_BENCH_LAG_PER_TX={perTransaction} does not divide CODEX_BENCH_LAG_RATE={rate}");
        }
        return new EventsSettings(count, Math.Min(count, 5_000), rate, Figures.Setting("CODEX_BENCH_LAG_SECONDS", 15, 1), perTransaction);
    }
}
