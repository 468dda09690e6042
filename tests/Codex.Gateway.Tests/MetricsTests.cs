using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;

namespace Codex.Gateway.Tests;

public sealed class MetricsTests(GatewayStack stack) : IClassFixture<GatewayStack>
{
    [Fact]
    public async Task Requests_are_counted_by_tenant_route_and_status_and_key_lookups_by_cache_result()
    {
        var tenant = await stack.TenantWithKeyAsync();
        var requests = new ConcurrentBag<(string Tenant, string Route, int Status)>();
        var lookups = new ConcurrentBag<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GatewayMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            var values = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            if (instrument.Name == "codex.gateway.requests")
            {
                requests.Add(((string)values["tenant"]!, (string)values["route"]!, (int)values["status"]!));
            }
            else if (instrument.Name == "codex.gateway.apikey_cache")
            {
                lookups.Add((string)values["result"]!);
            }
        });
        listener.Start();

        using var first = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", tenant.Key);
        using var second = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", tenant.Key);
        using var missing = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True(await Codex.Testing.TestInfrastructure.EventuallyAsync(() => Task.FromResult(requests.Count(r => r.Tenant == tenant.Tenant && r.Status == 200) == 2), TimeSpan.FromSeconds(5)));
        Assert.Contains(requests, r => r.Route == "crm" && r.Status == 401);
        Assert.Contains("miss", lookups);
        Assert.Contains("hit", lookups);
    }
}
