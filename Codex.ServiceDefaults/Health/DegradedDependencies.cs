using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Codex;

/// <summary>
/// The names under which Aspire's client integrations register their health checks (with a suffix when keyed).
/// </summary>
public static class DependencyHealthChecks
{
    public const string Redis = "StackExchange.Redis";
    public const string RabbitMQ = "RabbitMQ.Client";

    /// <summary>
    /// A dependency the service can serve without (a broker the outbox absorbs, a cache with a fallback): its
    /// failing check makes <c>/health</c> Degraded (200, and Degraded in the dashboard), not Unhealthy (503,
    /// which takes the replica out of rotation for something it can live with).
    /// </summary>
    public static IHostApplicationBuilder ServesWithout(this IHostApplicationBuilder builder, string checkName)
    {
        builder.Services.AddSingleton<IPostConfigureOptions<HealthCheckServiceOptions>>(new DegradedWhenDown(checkName));
        return builder;
    }

    private sealed class DegradedWhenDown(string checkName) : IPostConfigureOptions<HealthCheckServiceOptions>
    {
        public void PostConfigure(string? name, HealthCheckServiceOptions options)
        {
            foreach (var registration in options.Registrations.Where(r => r.Name == checkName || r.Name.StartsWith(checkName + "_", StringComparison.Ordinal)))
            {
                registration.FailureStatus = HealthStatus.Degraded;
            }
        }
    }
}
