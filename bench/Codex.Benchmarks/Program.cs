using System.Runtime.InteropServices;
using Codex.Benchmarks.Auth;
using Codex.Benchmarks.Billing;
using Codex.Benchmarks.Cms;
using Codex.Benchmarks.Crm;
using Codex.Benchmarks.Events;
using Codex.Benchmarks.Gateway;

// Figures go to stdout, one line each; progress and errors to stderr. The servers are the AppHost's own
// infrastructure in process mode (as the tests run it), started here on a data folder of their own.
using var cancel = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var area = args.Length == 1 ? args[0] : null;
if (area is not ("events" or "auth" or "gateway" or "crm" or "cms" or "billing"))
{
    return Usage();
}
await using var servers = new Codex.Testing.TestServers();
try
{
    Codex.Benchmarks.Figures.Progress("starting PostgreSQL, Redis and RabbitMQ (the AppHost's process-mode infrastructure)");
    await servers.InitializeAsync();
    Codex.Benchmarks.Figures.Servers = servers;
    return area switch
    {
        "events" => await EventsBenchmark.RunAsync(cancel.Token),
        "auth" => await AuthBenchmark.RunAsync(cancel.Token),
        "gateway" => await GatewayBenchmark.RunAsync(cancel.Token),
        "crm" => await CrmBenchmark.RunAsync(cancel.Token),
        "cms" => await CmsBenchmark.RunAsync(cancel.Token),
        "billing" => await BillingBenchmark.RunAsync(cancel.Token),
        _ => Usage(),
    };
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("bench: interrupted");
    return 130;
}
catch (BenchmarkException ex)
{
    Console.Error.WriteLine($"bench: error: {ex.Message}");
    return 1;
}

// The benchmark cleans up (its database, its queues) on the way out instead of dying mid-phase.
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}

static int Usage()
{
    Console.Error.WriteLine("usage: Codex.Benchmarks <area>   (areas: events, auth, gateway, crm, cms, billing; run it through eng/bench.sh)");
    return 2;
}

/// <summary>A benchmark that could not produce its figures; the message says why.</summary>
internal sealed class BenchmarkException(string message) : Exception(message);
