using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Codex.Testing;

/// <summary>What a failed start looks like: each resource's state and health, and the log tail of those not healthy.</summary>
public static class ResourceReport
{
    /// <summary>The resources that start with the app: not parameters, not those started on demand (the hidden rebuilders).</summary>
    public static IEnumerable<IResource> Started(DistributedApplicationModel model) =>
        model.Resources.Where(r => r is not ParameterResource && !r.Annotations.OfType<ExplicitStartupAnnotation>().Any());

    public static async Task<string> DescribeAsync(DistributedApplication app)
    {
        var text = new StringBuilder();
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var resource in Started(app.Services.GetRequiredService<DistributedApplicationModel>()))
        {
            if (!app.ResourceNotifications.TryGetCurrentState(resource.Name, out var current))
            {
                text.AppendLine($"{resource.Name}: no state");
                continue;
            }
            var snapshot = current.Snapshot;
            text.AppendLine($"{resource.Name}: {snapshot.State?.Text} health={snapshot.HealthStatus} exit={snapshot.ExitCode}");
            foreach (var report in snapshot.HealthReports.Where(r => r.Status != HealthStatus.Healthy))
            {
                text.AppendLine($"  check {report.Name}: {report.Status} {report.Description} {report.ExceptionText?.Split('\n')[0]}");
            }
            if (snapshot.HealthStatus == HealthStatus.Healthy)
            {
                continue;
            }
            var lines = new List<string>();
            using var cut = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await foreach (var batch in logs.GetAllAsync(resource).WithCancellation(cut.Token))
                {
                    lines.AddRange(batch.Select(line => line.Content));
                }
            }
            catch (OperationCanceledException)
            {
            }
            foreach (var line in lines.TakeLast(15))
            {
                text.AppendLine($"  | {line}");
            }
        }
        return text.ToString();
    }
}
