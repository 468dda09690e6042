using Codex.Testing;
using Codex.AppHost.Services;
using Codex.AppHost.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Codex.AppHost.Tests;

/// <summary>
/// The real AppHost under Aspire.Hosting.Testing in process mode, on a data folder of its own (deleted at the
/// end) and random ports, so it never meets a developer's stack. Started once per test class that needs it.
/// </summary>
public sealed class CodexStack : IAsyncDisposable
{
    /// <summary>Cold start on two cores: initdb, RabbitMQ's boot, every project's first run and migrations.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(6);

    private CodexStack(DistributedApplication app, string dataDirectory)
    {
        App = app;
        DataDirectory = dataDirectory;
    }

    public DistributedApplication App { get; }

    public string DataDirectory { get; }

    public DistributedApplicationModel Model => App.Services.GetRequiredService<DistributedApplicationModel>();

    /// <summary>The test's arguments for the AppHost: process mode, a fresh data folder.</summary>
    public static string[] Arguments(string dataDirectory, params string[] more) =>
        ["Codex:Infrastructure=process", $"Codex:DataDirectory={dataDirectory}", .. more];

    public static string NewDataDirectory() =>
        Path.Combine(Path.GetTempPath(), $"codex-apphost-{Guid.NewGuid():N}"[..22]);

    /// <summary>Builds and starts the stack, then waits until every migrator finished and everything else is healthy.</summary>
    public static async Task<CodexStack> StartAsync(
        Action<IDistributedApplicationTestingBuilder>? configure = null, bool dashboard = false, CancellationToken cancellationToken = default)
    {
        var data = NewDataDirectory();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Codex_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = dashboard }, Arguments(data), cancellationToken);
        builder.Services.AddLogging(logging => logging
            .AddProvider(new TestOutputLoggerProvider())
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Warning));
        configure?.Invoke(builder);

        var app = await builder.BuildAsync(cancellationToken);
        var stack = new CodexStack(app, data);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            await app.StartAsync(timeout.Token);
            await stack.WaitUntilReadyAsync(timeout.Token);
            return stack;
        }
        catch (Exception ex)
        {
            var report = await ResourceReport.DescribeAsync(app);
            await stack.DisposeAsync();
            throw new InvalidOperationException($"The stack did not come up: {ex.Message}\n{report}", ex);
        }
    }

    /// <summary>Migrators must finish with exit code 0; every other resource must turn healthy.</summary>
    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var waits = ResourceReport.Started(Model).Select(async resource =>
        {
            if (resource.Name.EndsWith(CodexProjects.MigratorSuffix, StringComparison.Ordinal))
            {
                var end = await App.ResourceNotifications.WaitForResourceAsync(resource.Name,
                    e => e.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state), cancellationToken);
                if (end.Snapshot.ExitCode != 0)
                {
                    throw new InvalidOperationException($"{resource.Name} ended as {end.Snapshot.State?.Text} with exit code {end.Snapshot.ExitCode}.");
                }
                return;
            }
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource.Name, WaitBehavior.StopOnResourceUnavailable, cancellationToken);
        }).ToList();
        await Task.WhenAll(waits);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await App.StopAsync();
        }
        finally
        {
            await App.DisposeAsync();
            if (Directory.Exists(DataDirectory))
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
        }
    }
}
