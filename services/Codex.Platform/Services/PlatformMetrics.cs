using System.Diagnostics.Metrics;

namespace Codex.Platform.Services;

/// <summary>Meter <c>Codex.Platform</c>: sync lag, reconciliation repairs, provisioning and health polls.</summary>
public sealed class PlatformMetrics
{
    public const string MeterName = "Codex.Platform";

    private readonly Histogram<double> _syncLag;
    private readonly Counter<long> _repairs;
    private readonly Counter<long> _provisioning;

    public PlatformMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _syncLag = meter.CreateHistogram<double>("codex.platform.sync_lag", "ms", "From an event's occurredAt to its effect in Platform, per source service.");
        _repairs = meter.CreateCounter<long>("codex.platform.reconciliation.repairs", "{figure}", "Summary figures reconciliation found out of step and repaired.");
        _provisioning = meter.CreateCounter<long>("codex.platform.provisioning.attempts", "{attempt}", "Provisioning step attempts by service and outcome.");
    }

    public void SyncLag(string source, TimeSpan lag) =>
        _syncLag.Record(Math.Max(0, lag.TotalMilliseconds), new KeyValuePair<string, object?>("codex.service", source));

    public void Repaired(string service, string figure) =>
        _repairs.Add(1, new("codex.service", service), new("codex.figure", figure));

    public void ProvisioningAttempt(string service, string outcome) =>
        _provisioning.Add(1, new("codex.service", service), new("codex.outcome", outcome));
}
