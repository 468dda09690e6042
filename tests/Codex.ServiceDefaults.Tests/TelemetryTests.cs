using System.Diagnostics;
using System.Diagnostics.Metrics;
using Codex.ServiceDefaults.Tests.Support;
using Codex.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Codex.ServiceDefaults.Tests;

public sealed class TelemetryTests
{
    private static readonly ActivitySource ServiceSource = new("Codex.TestService");
    private static readonly Meter ServiceMeter = new("Codex.TestService");
    private static readonly Counter<long> Pings = ServiceMeter.CreateCounter<long>("codex.test.pings");

    [Theory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public async Task Spans_metrics_and_logs_reach_the_OTLP_endpoint_with_the_service_name(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var endpoint = protocol == "grpc" ? receiver.GrpcEndpoint : receiver.HttpEndpoint;
        var serviceName = $"svc-{protocol.Replace('/', '-')}";

        await using (var app = await StartInstrumentedApp(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
            ["OTEL_SERVICE_NAME"] = serviceName,
        }))
        {
            var response = await app.Client.GetAsync("/ping", TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
        }

        Assert.True(await TestInfrastructure.EventuallyAsync(
            () => Task.FromResult(
                receiver.Of("traces").Any(e => e.ServiceName == serviceName && e.Items.Any(i => i.Name == "ping-work"))
                && receiver.Of("metrics").Any(e => e.ServiceName == serviceName && e.Items.Any(i => i.Name == "codex.test.pings"))
                && receiver.Of("logs").Any(e => e.ServiceName == serviceName && e.Items.Any(i => i.Name.Contains("pong for test")))),
            TimeSpan.FromSeconds(15)),
            $"Expected spans, metrics and logs from {serviceName}; received: {Describe(receiver)}");
        Assert.All(receiver.Exports, e => Assert.Equal(protocol, e.Protocol));
        var serverSpan = receiver.Of("traces").Where(e => e.ServiceName == serviceName).SelectMany(e => e.Items)
            .First(i => i.Attributes.GetValueOrDefault("url.path") == "/ping");
        Assert.Equal("GET", serverSpan.Attributes["http.request.method"]);
        Assert.Contains(receiver.Of("metrics").SelectMany(e => e.Items), i => i.Name == "http.server.request.duration");
    }

    [Fact]
    public async Task Nothing_is_exported_when_no_OTLP_endpoint_is_set()
    {
        // A receiver on the exporter's default ports catches any export that slips through.
        await using var receiver = await OtlpReceiver.StartAsync(grpcPort: 4317, httpPort: 4318);

        await using (var app = await StartInstrumentedApp(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "" }))
        {
            var response = await app.Client.GetAsync("/ping", TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
        }
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

        Assert.Empty(receiver.Exports);
    }

    [Fact]
    public async Task Health_probes_are_not_traced_but_other_requests_are()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using (var app = await StartInstrumentedApp(ExportingTo(receiver, "svc-probes")))
        {
            var ct = TestContext.Current.CancellationToken;
            (await app.Client.GetAsync("/health", ct)).EnsureSuccessStatusCode();
            (await app.Client.GetAsync("/alive", ct)).EnsureSuccessStatusCode();
            (await app.Client.GetAsync("/ping", ct)).EnsureSuccessStatusCode();
        }

        Assert.True(await TestInfrastructure.EventuallyAsync(
            () => Task.FromResult(ServerPaths(receiver, "svc-probes").Contains("/ping")), TimeSpan.FromSeconds(10)));
        var paths = ServerPaths(receiver, "svc-probes");
        Assert.DoesNotContain("/health", paths);
        Assert.DoesNotContain("/alive", paths);
    }

    [Fact]
    public async Task A_request_s_tenant_tags_its_span_and_its_request_duration_metric()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using (var app = await StartInstrumentedApp(ExportingTo(receiver, "svc-tenants")))
        {
            (await app.Client.GetAsync("/tenant-ping", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        }

        Assert.True(await TestInfrastructure.EventuallyAsync(() => Task.FromResult(
            receiver.Of("metrics").Where(e => e.ServiceName == "svc-tenants").SelectMany(e => e.Items)
                .Any(i => i.Name == "http.server.request.duration" && i.Attributes.GetValueOrDefault(TenantTelemetry.TenantTag) == "acme-prod")),
            TimeSpan.FromSeconds(10)), $"no tenant-tagged http.server.request.duration; received: {Describe(receiver)}");
        var span = receiver.Of("traces").Where(e => e.ServiceName == "svc-tenants").SelectMany(e => e.Items)
            .Single(i => i.Attributes.GetValueOrDefault("url.path") == "/tenant-ping");
        Assert.Equal("acme-prod", span.Attributes[TenantTelemetry.TenantTag]);
    }

    private static List<string?> ServerPaths(OtlpReceiver receiver, string service) =>
        receiver.Of("traces").Where(e => e.ServiceName == service).SelectMany(e => e.Items)
            .Where(i => i.Attributes.ContainsKey("url.path")).Select(i => i.Attributes["url.path"]).ToList();

    private static Dictionary<string, string?> ExportingTo(OtlpReceiver receiver, string service) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.HttpEndpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_SERVICE_NAME"] = service,
    };

    private static Task<TestApp> StartInstrumentedApp(Dictionary<string, string?> configuration)
    {
        // Short export intervals keep the test quick; disposing the app flushes the rest.
        configuration["OTEL_BSP_SCHEDULE_DELAY"] = "100";
        configuration["OTEL_BLRP_SCHEDULE_DELAY"] = "100";
        configuration["OTEL_METRIC_EXPORT_INTERVAL"] = "200";
        return TestApp.StartAsync(configuration, mapEndpoints: app =>
        {
            app.MapGet("/ping", (ILogger<TelemetryTests> logger) =>
            {
                using var activity = ServiceSource.StartActivity("ping-work");
                Pings.Add(1);
                logger.LogInformation("pong for test {Caller}", "telemetry");
                return Results.Ok("pong");
            });
            // As TenantMiddleware does once the token names the tenant.
            app.MapGet("/tenant-ping", (HttpContext context) =>
            {
                context.TagTenant("acme-prod");
                return Results.Ok("pong");
            });
        });
    }

    private static string Describe(OtlpReceiver receiver) => string.Join("; ", receiver.Exports.Select(e =>
        $"{e.Signal}/{e.ServiceName}: {string.Join(",", e.Items.Take(5).Select(i => i.Name))}"));
}
