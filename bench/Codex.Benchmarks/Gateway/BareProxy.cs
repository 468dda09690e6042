using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Codex.Benchmarks.Gateway;

/// <summary>
/// The floor for any YARP gateway on this machine: YARP alone, one catch-all route, no key, token, rate
/// limit, telemetry, error handling or header work. What it costs over the direct path is the proxy hop
/// itself (a second loopback TCP round trip per request, HTTP/1.1 parsed and written twice more).
/// </summary>
internal sealed class BareProxy(WebApplication app, string address) : IAsyncDisposable
{
    public string Address { get; } = address;

    public static async Task<BareProxy> StartAsync(string destination, CancellationToken cancel)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = "Codex.Benchmarks.BareProxy", EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "service", Match = new RouteMatch { Path = "{**rest}" } }],
            [new ClusterConfig { ClusterId = "service", Destinations = new Dictionary<string, DestinationConfig> { ["service"] = new() { Address = destination } } }]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync(cancel);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new BareProxy(app, address.TrimEnd('/'));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }
}
