using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;

namespace Codex.Gateway.Tests;

public sealed class MetricsTests(GatewayStack stack) : IClassFixture<GatewayStack>
{
    [Fact]
    public async Task Requests_are_measured_by_tenant_route_and_status_and_key_lookups_by_cache_result()
    {
        var tenant = await stack.TenantWithKeyAsync();
        var requests = new ConcurrentBag<(string? Tenant, string? Route, int Status)>();
        var lookups = new ConcurrentBag<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GatewayMetrics.MeterName
                || (instrument.Meter.Name == "Microsoft.AspNetCore.Hosting" && instrument.Name == "http.server.request.duration"))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        // ASP.NET Core's request duration, with the tenant the gateway resolved (every host in this process
        // records it; the gateway's are the ones on its catch-all route for CRM).
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            var values = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            requests.Add((values.GetValueOrDefault("codex.tenant_id") as string, values.GetValueOrDefault("http.route") as string,
                Convert.ToInt32(values["http.response.status_code"], System.Globalization.CultureInfo.InvariantCulture)));
        });
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            if (instrument.Name == "codex.gateway.apikey_cache")
            {
                lookups.Add((string)tags.ToArray().Single(t => t.Key == "result").Value!);
            }
        });
        listener.Start();

        using var first = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", tenant.Key);
        using var second = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", tenant.Key);
        using var missing = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        static bool Gateways((string? Tenant, string? Route, int Status) r) => r.Route?.StartsWith("/api/v1/crm/{", StringComparison.Ordinal) == true;
        Assert.True(await Codex.Testing.TestInfrastructure.EventuallyAsync(
            () => Task.FromResult(requests.Count(r => Gateways(r) && r.Tenant == tenant.Tenant && r.Status == 200) == 2), TimeSpan.FromSeconds(5)),
            string.Join("; ", requests));
        Assert.Contains(requests, r => Gateways(r) && r.Tenant is null && r.Status == 401);
        Assert.Contains("miss", lookups);
        Assert.Contains("hit", lookups);
    }
}
