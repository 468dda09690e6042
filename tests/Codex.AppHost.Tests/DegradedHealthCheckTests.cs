using Codex.AppHost.Services;
using Codex.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Codex.AppHost.Tests;

/// <summary>The dashboard's reading of a service's <c>/health</c> body: Degraded shows as Degraded.</summary>
public sealed class DegradedHealthCheckTests
{
    [Theory]
    [InlineData(200, "Degraded", HealthStatus.Degraded)]
    [InlineData(200, """{"status":"Degraded","checks":{}}""", HealthStatus.Degraded)]
    [InlineData(200, "Healthy", HealthStatus.Healthy)]
    [InlineData(503, "Unhealthy", HealthStatus.Healthy)]   // the status-code check's to report
    public async Task The_body_of_a_successful_answer_decides(int status, string body, HealthStatus expected)
    {
        await using var service = await TestApp.StartAsync(mapEndpoints: app => app.MapGet("/health", () => Results.Text(body, statusCode: status)));
        using var http = new HttpClient();
        var check = new DegradedHealthCheck(http, () => new Uri(service.Address, "/health"));

        var result = await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(expected, result.Status);
    }
}
