using System.Diagnostics;
using Codex.Testing;

namespace Codex.Messaging.Tests.Support;

/// <summary>The test service as a process of its own, so a test can kill it without warning (SIGKILL).</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process) => _process = process;

    public static async Task<ServiceProcess> StartAsync(MessagingServers servers, string database, string serviceName)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(ServiceAssembly());
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ConnectionStrings__testdb"] = database;
        start.Environment["ConnectionStrings__messaging"] = servers.Login(serviceName);
        start.Environment["EventBus__ServiceName"] = serviceName;
        start.Environment["EventBus__PrefetchCount"] = "50";
        // Slow enough that a kill lands mid-stream, with committed-but-unacknowledged messages about.
        start.Environment["Test__HandlerDelayMs"] = "20";

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var service = new ServiceProcess(process);
        await servers.WaitForQueueAsync($"codex.{serviceName}");
        return service;
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    // The service's own build output, same configuration as the test run.
    private static string ServiceAssembly()
    {
        var configuration = AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(TestInfrastructure.RepoRoot, "tests", "Codex.Messaging.TestService", "bin", configuration, "net10.0",
            "Codex.Messaging.TestService.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first.", path);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
