using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Codex.Testing;

/// <summary>The output of one eng/infra.sh run.</summary>
public sealed record ScriptResult(int ExitCode, string Output, string Errors)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Errors}";
}

/// <summary>
/// A PostgreSQL + Redis + RabbitMQ set of its own, started with eng/infra.sh under a private state
/// folder and free ports, for tests that stop servers or start and stop the whole set.
/// </summary>
public sealed partial class PrivateInfrastructure : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;

    public PrivateInfrastructure()
    {
        State = Path.Combine(TestInfrastructure.RepoRoot, ".codex", $"test-private-{Guid.NewGuid():N}"[..26]);
        PostgresPort = TestInfrastructure.FreeTcpPort();
        RedisPort = TestInfrastructure.FreeTcpPort();
        RabbitMQPort = TestInfrastructure.FreeTcpPort();
        _environment = new()
        {
            ["CODEX_INFRA_STATE"] = State,
            ["CODEX_PG_PORT"] = PostgresPort.ToString(),
            ["CODEX_REDIS_PORT"] = RedisPort.ToString(),
            ["CODEX_RABBITMQ_PORT"] = RabbitMQPort.ToString(),
            ["CODEX_RABBITMQ_MGMT_PORT"] = TestInfrastructure.FreeTcpPort().ToString(),
            ["CODEX_RABBITMQ_DIST_PORT"] = TestInfrastructure.FreeTcpPort().ToString(),
        };
    }

    public string State { get; }
    public int PostgresPort { get; }
    public int RedisPort { get; }
    public int RabbitMQPort { get; }
    public IReadOnlyList<int> Ports => [PostgresPort, RedisPort, RabbitMQPort];

    public async Task<ScriptResult> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestInfrastructure.RepoRoot,
        };
        start.ArgumentList.Add(Path.Combine(TestInfrastructure.RepoRoot, "eng", "infra.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new ScriptResult(process.ExitCode, await output, await errors);
    }

    public async Task UpAsync(params string[] components) => Ensure(await RunAsync(["up", .. components]));

    public async Task DownAsync(params string[] components) => Ensure(await RunAsync(["down", .. components]));

    /// <summary>The connection strings <c>eng/infra.sh env</c> prints, by connection name.</summary>
    public async Task<Dictionary<string, string>> ConnectionStringsAsync()
    {
        var result = Ensure(await RunAsync("env"));
        return ExportLine().Matches(result.Output).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
    }

    /// <summary>Processes that belong to this set: their command line names the state folder or a port of ours.</summary>
    public static IEnumerable<int> ProcessesMatching(IEnumerable<string> needles)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            if (needles.Any(commandLine.Contains) && !commandLine.Contains("eng/infra.sh"))
            {
                yield return pid;
            }
        }
    }

    public IEnumerable<int> OwnProcesses() => ProcessesMatching([State, $":{RedisPort}"]);

    private static ScriptResult Ensure(ScriptResult result) =>
        result.ExitCode == 0 ? result : throw new InvalidOperationException($"eng/infra.sh failed: {result}");

    [GeneratedRegex(@"^export ConnectionStrings__(?<name>[A-Za-z0-9_-]+)='(?<value>[^']*)'$", RegexOptions.Multiline)]
    private static partial Regex ExportLine();

    public async ValueTask DisposeAsync()
    {
        await RunAsync("down");
        if (Directory.Exists(State))
        {
            Directory.Delete(State, recursive: true);
        }
    }
}
