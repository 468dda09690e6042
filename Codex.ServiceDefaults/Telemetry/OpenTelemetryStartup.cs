using Microsoft.Extensions.Hosting;
using OpenTelemetry;

namespace Codex.ServiceDefaults.Telemetry;

/// <summary>
/// Creates the OpenTelemetry SDK when the host starts (the job OpenTelemetry.Extensions.Hosting does);
/// the container disposes it at shutdown, which flushes what is still buffered.
/// </summary>
internal sealed class OpenTelemetryStartup(OpenTelemetrySdk sdk) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(sdk);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
