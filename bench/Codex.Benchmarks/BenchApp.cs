using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Codex.Benchmarks;

/// <summary>
/// A Codex service in the benchmark's process: Production, loopback, port 0, its log on stderr. With
/// <c>serviceDefaults: false</c> it is a bare ASP.NET Core app (no telemetry, health or error handling).
/// </summary>
internal sealed class BenchApp(WebApplication app, string address) : IAsyncDisposable
{
    public string Address { get; } = address;
    public IServiceProvider Services => app.Services;

    public static async Task<BenchApp> StartAsync(string applicationName, IDictionary<string, string?> settings,
        Action<WebApplicationBuilder> configure, Action<WebApplication> map, CancellationToken cancel, Func<WebApplication, Task>? beforeStart = null,
        bool serviceDefaults = true)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = applicationName, EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(settings);
        // stdout carries only the figures: the service's own log goes to stderr, warnings and up.
        builder.Logging.ClearProviders().AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (serviceDefaults)
        {
            builder.AddServiceDefaults();
        }
        configure(builder);
        var app = builder.Build();
        if (serviceDefaults)
        {
            app.MapDefaultEndpoints();
        }
        map(app);
        if (beforeStart is not null)
        {
            await beforeStart(app);
        }
        await app.StartAsync(cancel);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new BenchApp(app, address.TrimEnd('/'));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }
}
