using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Codex.Contracts;
using Codex.Messaging;
using Codex.Messaging.Consumer;

namespace Codex.Benchmarks.Events;

/// <summary>
/// End-to-end lag as the bus itself measures it: <see cref="EventBusTelemetry.Lag"/>, recorded once a
/// handler's transaction (inbox row included) has committed, as now − occurredAt. The consumer runs the
/// handlers of a batch in order and then records their lags in the same order, so a FIFO of "is this a
/// measured event" flags, one per handler run, pairs each lag with its event.
/// </summary>
internal sealed class LagRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<double> _measured = new();
    private readonly ConcurrentQueue<bool> _handling = new();
    private long _handled;

    public LagRecorder()
    {
        // Read before listening: the instrument must exist (its class initialised) when Start() lists
        // the published instruments; read from inside the callback during that initialisation, it is null.
        var lag = EventBusTelemetry.Lag;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument, lag))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, milliseconds, _, _) =>
        {
            Interlocked.Increment(ref _handled);
            if (_handling.TryDequeue(out var measured) && measured)
            {
                _measured.Enqueue(milliseconds);
            }
        });
        _listener.Start();
    }

    /// <summary>Events handled and committed, warm-up included.</summary>
    public long Handled => Interlocked.Read(ref _handled);

    public int MeasuredCount => _measured.Count;

    public double[] Measured => [.. _measured];

    /// <summary>Called by the handler, before the bus commits and records the event's lag.</summary>
    public void Handling(bool measured) => _handling.Enqueue(measured);

    public void Dispose() => _listener.Dispose();
}

/// <summary>Does nothing but mark the event; the bus writes the inbox row and commits as for any handler.</summary>
internal sealed class LagHandler(LagRecorder recorder) : IIntegrationEventHandler<LeadStageChanged>
{
    public Task HandleAsync(LeadStageChanged @event, EventContext context, CancellationToken cancellationToken)
    {
        recorder.Handling(@event.TenantId == EventsBenchmark.MeasuredTenant);
        return Task.CompletedTask;
    }
}
