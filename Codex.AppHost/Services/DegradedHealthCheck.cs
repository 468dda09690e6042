using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Codex.AppHost.Services;

/// <summary>
/// Aspire's HTTP health check reads the status code alone, and a Degraded service answers 200 (it still
/// serves). This one reads the answer's body, so the dashboard shows Degraded. It reports nothing worse:
/// an unreachable or failing service is the status-code check's to report.
/// </summary>
public sealed class DegradedHealthCheck(HttpClient http, Func<Uri> address) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await http.GetAsync(address(), cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.IsSuccessStatusCode && body.Contains(nameof(HealthStatus.Degraded), StringComparison.Ordinal)
                ? HealthCheckResult.Degraded("The service serves without a dependency (its /health says Degraded).")
                : HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            return HealthCheckResult.Healthy("Not reachable: the status-code check reports it.");
        }
    }
}
