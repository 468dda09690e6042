using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Codex.Messaging.Tests.Support;
using Codex.Testing;

namespace Codex.Messaging.Tests;

public sealed class MetricsTests(MessagingServers servers)
{
    [Fact]
    public async Task Publishing_consuming_failing_and_dead_lettering_are_counted_by_event_type_and_lag_is_recorded()
    {
        var measurements = new ConcurrentQueue<(string Instrument, double Value, string? Type)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == EventBusTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, TypeOf(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, TypeOf(tags))));
        listener.Start();
        await using var service = await InProcessService.StartAsync(servers, settings: new Dictionary<string, string?> { ["EventBus:MaxAttempts"] = "2" });

        await service.WriteAsync(DeliveryTests.StageChanged("acme-prod"));
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => (await service.AppliedAsync()).Total == 1, TimeSpan.FromSeconds(20)));
        service.Behaviour.AlwaysThrow = true;
        await service.WriteAsync(DeliveryTests.StageChanged("acme-prod"));
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => (await service.DeadLettersAsync()).Count == 1, TimeSpan.FromSeconds(20)));
        listener.RecordObservableInstruments();

        const string type = "crm.lead.stage_changed";
        Assert.Contains(measurements, m => m is { Instrument: "codex.events.published", Type: type });
        Assert.Contains(measurements, m => m is { Instrument: "codex.events.consumed", Type: type });
        Assert.Equal(2, measurements.Count(m => m is { Instrument: "codex.events.failed", Type: type }));
        Assert.Contains(measurements, m => m is { Instrument: "codex.events.dead_lettered", Type: type });
        Assert.Contains(measurements, m => m is { Instrument: "codex.events.lag", Type: type } && m.Value >= 0);
        Assert.Contains(measurements, m => m.Instrument == "codex.outbox.backlog");
    }

    private static string? TypeOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == EventBusTelemetry.EventTypeTag)
            {
                return tag.Value as string;
            }
        }
        return null;
    }
}
