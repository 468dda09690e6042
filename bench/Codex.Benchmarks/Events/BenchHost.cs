using Codex.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Codex.Benchmarks.Events;

/// <summary>
/// A service wired the way every Codex service is (service defaults, pooled DbContext, the event bus),
/// without Kestrel: the bus's relay and consumer are hosted services.
/// </summary>
internal static class BenchHost
{
    public const string Database = "benchdb";
    public const string ServiceName = "bench";

    /// <summary>Builds the host without starting it: its outbox can be written before the relay runs.</summary>
    public static BenchService Build(string database, string messaging, Action<EventBusBuilder>? subscribe = null, Action<IServiceCollection>? services = null)
    {
        // No environment variables or appsettings: an OTEL_EXPORTER_OTLP_ENDPOINT in the caller's shell
        // must not switch exporting on in the middle of a measurement.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "Codex.Benchmarks",
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{Database}"] = database,
            [$"ConnectionStrings:{ResourceNames.Messaging}"] = messaging,
            ["EventBus:ServiceName"] = ServiceName,
        });
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Program handles Ctrl+C and SIGTERM for the whole run; a host must not stop on its own.
        builder.Services.AddSingleton<IHostLifetime, ProgramLifetime>();

        builder.AddServiceDefaults();
        builder.AddNpgsqlDbContext<BenchDbContext>(Database, CodexDbContextDefaults.Settings, CodexDbContextDefaults.Options);
        var bus = builder.AddEventBus<BenchDbContext>(ResourceNames.Messaging);
        subscribe?.Invoke(bus);
        services?.Invoke(builder.Services);
        return new BenchService(builder.Build());
    }

    /// <summary>A new event of the size the CRM will publish most: a lead moving between stages.</summary>
    public static LeadStageChanged NewEvent(string tenant) => new(tenant, Guid.CreateVersion7(), Guid.Empty, "qualified", "proposal", "open", "open", 1000m, "EUR", 40);

    private sealed class ProgramLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>A built host; stopped (if started) and disposed on the way out, whatever happened.</summary>
internal sealed class BenchService(IHost host) : IAsyncDisposable
{
    private bool _started;

    public IServiceProvider Services => host.Services;

    public async Task StartAsync(CancellationToken ct)
    {
        _started = true;
        await host.StartAsync(ct);
    }

    public async Task StopAsync()
    {
        if (_started)
        {
            _started = false;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }
}
