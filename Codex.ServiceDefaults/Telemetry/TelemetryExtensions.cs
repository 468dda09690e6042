using Codex.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>OpenTelemetry for a Codex service, from the libraries' native sources and meters.</summary>
public static class TelemetryExtensions
{
    /// <summary>Activity sources every service listens to (no instrumentation packages needed).</summary>
    public static readonly IReadOnlyList<string> ActivitySources =
        ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql", "RabbitMQ.Client.*", "Codex.*"];

    /// <summary>Meters every service listens to.</summary>
    public static readonly IReadOnlyList<string> Meters =
    [
        "Microsoft.AspNetCore.*", "System.Net.Http", "System.Net.NameResolution", "System.Runtime",
        "Npgsql", "Microsoft.EntityFrameworkCore", "Codex.*",
    ];

    /// <summary>
    /// Traces, metrics and logs; exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set,
    /// with <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_SERVICE_NAME</c> and the other <c>OTEL_*</c>
    /// settings read from the app's configuration.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // .NET 10 leaves the request Activity without semantic-convention tags unless this is off.
        AppContext.SetSwitch("Microsoft.AspNetCore.Hosting.SuppressActivityOpenTelemetryData", false);

        var configuration = builder.Configuration;
        var environment = builder.Environment;
        builder.Services.AddSingleton(_ => CreateSdk(configuration, environment));
        builder.Services.AddHostedService<OpenTelemetryStartup>();
        builder.Services.AddSingleton<ILoggerProvider, OpenTelemetryLoggerForwarder>();
        builder.Services.AddSingleton<IStartupFilter, HealthProbeTracingFilter>();
        return builder;
    }

    private static OpenTelemetrySdk CreateSdk(IConfiguration configuration, IHostEnvironment environment) =>
        OpenTelemetrySdk.Create(otel =>
        {
            // The SDK reads OTEL_* from its own IConfiguration; hand it the app's, so appsettings and
            // the environment both count, exactly as with Aspire's hosted OpenTelemetry.
            otel.Services.AddSingleton(configuration);
            otel.ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(environment.ApplicationName);
                }
                resource.AddAttributes([new("deployment.environment.name", environment.EnvironmentName)]);
            });
            otel.WithTracing(tracing => tracing
                .AddSource([.. ActivitySources, environment.ApplicationName]));
            otel.WithMetrics(metrics => metrics
                .AddMeter([.. Meters, environment.ApplicationName]));
            otel.WithLogging(
                configureBuilder: null,
                configureOptions: options =>
                {
                    options.IncludeFormattedMessage = true;
                    options.IncludeScopes = true;
                });

            if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            {
                otel.UseOtlpExporter();
            }
        });
}
