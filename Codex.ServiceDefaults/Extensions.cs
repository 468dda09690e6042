using Codex.ServiceDefaults.Health;
using Codex.ServiceDefaults.Problems;
using Codex.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Codex;

/// <summary>
/// Aspire's ServiceDefaults (the 13.x template): OpenTelemetry, health checks, service discovery and
/// resilience. Codex adds problem details, the Codex sources and meters, and health endpoints in every
/// environment, each in a file of its own.
/// </summary>
public static class Extensions
{
    /// <summary>Readiness: every check. Orchestrators, the AppHost and Platform's registry probe it.</summary>
    public const string HealthEndpointPath = "/health";

    /// <summary>Liveness: the checks tagged <see cref="LiveTag"/>.</summary>
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>Tag of the checks that make up liveness.</summary>
    public const string LiveTag = "live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Turn on resilience by default. Codex: only idempotent requests are retried, so a POST that timed
            // out after its effect is never sent twice.
            http.AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());

            // Turn on service discovery by default
            http.AddServiceDiscovery();
        });

        builder.Services.AddCodexProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new InputSafety.NulFreeStringConverter()));
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddCodexMeters())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddAspNetCoreInstrumentation(options =>
                    // Exclude health check requests from tracing
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation()
                .AddCodexSources());

        builder.AddOpenTelemetryExporters();
        return builder;
    }

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var useOtlpExporter = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (useOtlpExporter)
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Add a default liveness check to ensure app is responsive
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IPostConfigureOptions<HealthCheckServiceOptions>, HealthCheckTimeouts>();
        return builder;
    }

    /// <summary>
    /// Problem details for exceptions and empty error responses, then <c>/health</c> and <c>/alive</c>. Unlike
    /// the template these are mapped in every environment: Container Apps and the AppHost probe them in
    /// production too. Outside Development they answer only the status (HealthResponseWriter).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(InputSafety.RejectNulInTargetAsync);

        var writer = HealthResponseWriter.For(app.Environment);
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions { ResponseWriter = writer }).AllowAnonymous();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(LiveTag),
            ResponseWriter = writer,
        }).AllowAnonymous();
        return app;
    }
}
