using Codex.ServiceDefaults.Health;
using Codex.ServiceDefaults.Problems;
using Codex.ServiceDefaults.Resilience;
using Codex.ServiceDefaults.ServiceDiscovery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every Codex service shares: telemetry, health, service discovery, outgoing-HTTP resilience
/// and problem details. The same shape as Aspire's ServiceDefaults template, built only on packages
/// that can be restored everywhere.
/// </summary>
public static class Extensions
{
    /// <summary>Liveness and readiness paths the AppHost, eng/ scripts and orchestrators probe.</summary>
    public const string HealthPath = "/health";

    /// <inheritdoc cref="HealthPath"/>
    public const string AlivePath = "/alive";

    /// <summary>Tag of the checks that make up liveness.</summary>
    public const string LiveTag = "live";

    /// <summary>Adds telemetry, health checks, service discovery, resilience and problem details.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.AddHttpResilience(builder.Configuration);
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Resilience outside discovery: every retry resolves the logical name again.
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        builder.Services.AddCodexProblemDetails();
        return builder;
    }

    /// <summary>Registers the liveness check every service has.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// Turns exceptions and empty error responses into problem details, and maps <c>/health</c>
    /// (every check) and <c>/alive</c> (liveness only) in every environment. Call it first after Build().
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        var writer = HealthResponseWriter.For(app.Environment);
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = writer }).AllowAnonymous();
        app.MapHealthChecks(AlivePath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
            ResponseWriter = writer,
        }).AllowAnonymous();
        return app;
    }
}
