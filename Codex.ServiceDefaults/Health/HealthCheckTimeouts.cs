using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Codex.ServiceDefaults.Health;

/// <summary>
/// Every health check that sets no timeout of its own gets 5 s, so <c>/health</c> turns 503 quickly when a
/// dependency is gone. EF's check goes through the retrying execution strategy and would otherwise keep an
/// orchestrator's probe waiting for half a minute.
/// </summary>
internal sealed class HealthCheckTimeouts : IPostConfigureOptions<HealthCheckServiceOptions>
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public void PostConfigure(string? name, HealthCheckServiceOptions options)
    {
        foreach (var registration in options.Registrations.Where(r => r.Timeout == System.Threading.Timeout.InfiniteTimeSpan))
        {
            registration.Timeout = Timeout;
        }
    }
}
