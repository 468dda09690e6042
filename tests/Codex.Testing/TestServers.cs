using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Codex.Testing;

/// <summary>
/// PostgreSQL, Redis and RabbitMQ for tests: the AppHost's own infrastructure (<c>Codex:Services=false</c>) under
/// Aspire.Hosting.Testing in process mode, on a data folder and random ports of its own, deleted at the end. The
/// same resources, formats and health checks a developer's stack has; no second way of running them.
/// </summary>
public sealed class TestServers(string? dataDirectory = null, bool keepData = false) : IAsyncLifetime
{
    public const string Postgres = "postgres";
    public const string Redis = "cache";
    public const string RabbitMQ = "messaging";

    /// <summary>initdb, RabbitMQ's boot and DCP on two busy cores.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private DistributedApplication? _app;
    private readonly Dictionary<string, string> _connectionStrings = [];

    /// <summary>Where the servers keep their data and passwords; deleted at the end unless <c>keepData</c>.</summary>
    public string DataDirectory { get; } = dataDirectory ?? Path.Combine(Path.GetTempPath(), $"codex-test-{Guid.NewGuid():N}"[..19]);

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The servers have not been started.");

    /// <summary>Connection strings by resource name, as the AppHost gives them to services.</summary>
    public string ConnectionString(string name) => _connectionStrings.TryGetValue(name, out var value)
        ? value
        : throw new InvalidOperationException($"No connection string named '{name}'; the servers are {string.Join(", ", _connectionStrings.Keys)}.");

    public async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Codex_AppHost>(
            ["Codex:Infrastructure=process", "Codex:Services=false", $"Codex:DataDirectory={DataDirectory}"], timeout.Token);
        // The servers' console output stays in the resource logs (shown when a start fails), not in the test output.
        builder.Services.AddLogging(logging => logging.ClearProviders());
        _app = await builder.BuildAsync(timeout.Token);
        try
        {
            await _app.StartAsync(timeout.Token);
            foreach (var name in new[] { Postgres, Redis, RabbitMQ })
            {
                await _app.ResourceNotifications.WaitForResourceHealthyAsync(name, WaitBehavior.StopOnResourceUnavailable, timeout.Token);
            }
            // The servers' and the logins' (messaging-crm, …) connection strings.
            foreach (var resource in _app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<IResourceWithConnectionString>())
            {
                _connectionStrings[resource.Name] = await resource.GetConnectionStringAsync(timeout.Token)
                    ?? throw new InvalidOperationException($"{resource.Name} has no connection string.");
            }
        }
        catch (Exception ex)
        {
            var report = await ResourceReport.DescribeAsync(_app);
            await DisposeAsync();
            throw new InvalidOperationException($"The test servers did not come up: {ex.Message}\n{report}", ex);
        }
    }

    /// <summary>Stops one server (the dashboard's Stop command) and waits until it has exited.</summary>
    public async Task StopAsync(string name, CancellationToken cancellationToken = default)
    {
        var result = await App.ResourceCommands.ExecuteCommandAsync(name, KnownResourceCommands.StopCommand, cancellationToken);
        Assert.True(result.Success, $"stop {name}: {result.Message}");
        await App.ResourceNotifications.WaitForResourceAsync(name,
            e => e.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state), cancellationToken);
    }

    /// <summary>Starts a stopped server again (the dashboard's Start command) and waits until it is healthy.</summary>
    public async Task StartAsync(string name, CancellationToken cancellationToken = default)
    {
        var result = await App.ResourceCommands.ExecuteCommandAsync(name, KnownResourceCommands.StartCommand, cancellationToken);
        Assert.True(result.Success, $"start {name}: {result.Message}");
        await App.ResourceNotifications.WaitForResourceHealthyAsync(name, WaitBehavior.StopOnResourceUnavailable, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            try
            {
                await _app.StopAsync();
            }
            finally
            {
                await _app.DisposeAsync();
                _app = null;
            }
        }
        if (!keepData && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}

/// <summary>
/// The test assembly's shared servers: <c>[assembly: AssemblyFixture(typeof(SharedTestServers))]</c> starts them
/// before the first test and stops them after the last; <see cref="TestInfrastructure"/> reads them.
/// </summary>
public sealed class SharedTestServers : IAsyncLifetime
{
    private readonly TestServers _servers = new();

    internal static TestServers? Current { get; private set; }

    public async ValueTask InitializeAsync()
    {
        await _servers.InitializeAsync();
        Current = _servers;
    }

    public async ValueTask DisposeAsync()
    {
        Current = null;
        await _servers.DisposeAsync();
    }
}
