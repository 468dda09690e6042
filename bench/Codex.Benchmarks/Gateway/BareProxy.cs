using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Codex.Benchmarks.Gateway;

/// <summary>
/// The floor for any YARP gateway on this machine: YARP alone, one catch-all route, no key, token, rate
/// limit, telemetry, error handling or header work. What it costs over the direct path is the proxy hop
/// itself (a second loopback TCP round trip per request, HTTP/1.1 parsed and written twice more).
/// </summary>
internal static class BareProxy
{
    public static Task<BenchApp> StartAsync(string destination, CancellationToken cancel) =>
        BenchApp.StartAsync("Codex.Benchmarks.BareProxy", new Dictionary<string, string?>(),
            builder =>
            {
                builder.Logging.ClearProviders();
                builder.Services.AddReverseProxy().LoadFromMemory(
                    [new RouteConfig { RouteId = "all", ClusterId = "service", Match = new RouteMatch { Path = "{**rest}" } }],
                    [new ClusterConfig { ClusterId = "service", Destinations = new Dictionary<string, DestinationConfig> { ["service"] = new() { Address = destination } } }]);
            },
            app => app.MapReverseProxy(), cancel, serviceDefaults: false);
}
