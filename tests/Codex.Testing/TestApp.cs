using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Codex.Testing;

/// <summary>A real Kestrel service on a loopback port, built the way every Codex service is.</summary>
public sealed class TestApp : IAsyncDisposable
{
    private TestApp(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        // A test's client sends exactly the headers the test sets: no trace context of its own (the test process
        // listens to System.Net.Http, so the client would otherwise start a span and send its traceparent).
        Client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public WebApplication App { get; }
    public Uri Address { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => App.Services;

    public static async Task<TestApp> StartAsync(
        IDictionary<string, string?>? configuration = null,
        Action<WebApplicationBuilder>? configureServices = null,
        Action<WebApplication>? mapEndpoints = null,
        string environment = "Production",
        string applicationName = "Codex.TestService",
        Func<WebApplication, Task>? beforeStart = null,
        string url = "http://127.0.0.1:0")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ApplicationName = applicationName,
        });
        builder.Configuration.AddInMemoryCollection(configuration ?? new Dictionary<string, string?>());
        builder.WebHost.UseUrls(url);
        builder.AddServiceDefaults();
        configureServices?.Invoke(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        mapEndpoints?.Invoke(app);
        if (beforeStart is not null)
        {
            await beforeStart(app);
        }
        await app.StartAsync(CancellationToken.None);

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new TestApp(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
