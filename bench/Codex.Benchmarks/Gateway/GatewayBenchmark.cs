using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Codex.Benchmarks.Auth;
using Codex.Gateway.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using static Codex.Benchmarks.Figures;

namespace Codex.Benchmarks.Gateway;

/// <summary>
/// A cheap authenticated GET (API key + JWT) through the gateway and the same GET straight to the
/// service, in the same run, both driven by wrk at 64 connections. The service validates the token
/// itself either way (zero trust inside); the gateway adds key resolution, the bearer check, rate
/// limiting and the proxy hop. A bare YARP proxy in the same process, in front of the same service,
/// gives the floor: what the hop alone costs on this machine, before any of the gateway's work.
/// </summary>
internal static partial class GatewayBenchmark
{
    public static async Task<int> RunAsync(CancellationToken cancel)
    {
        var seconds = Setting("CODEX_BENCH_GATEWAY_SECONDS", 5, 3);
        var rounds = Setting("CODEX_BENCH_GATEWAY_ROUNDS", 5, 1);
        var connections = Setting("CODEX_BENCH_GATEWAY_CONNECTIONS", 64, 1);
        await using var auth = await BenchAuthHost.StartAsync("gateway", cancel);
        var (token, key) = await auth.AdminWithKeyAsync(cancel);
        const string tenant = BenchAuthHost.Tenant;

        await using var service = await BenchApp.StartAsync("Codex.Crm", new Dictionary<string, string?> { ["services:auth:http:0"] = auth.Address },
            builder => builder.AddCodexAuthentication(),
            app =>
            {
                app.UseCodexAuthentication();
                app.MapGet("/api/v1/crm/ping", (Codex.Security.Tenancy.TenantContext t) => Results.Ok(new { tenant = t.TenantId, at = DateTimeOffset.UtcNow }))
                    .RequireAuthorization();
            }, cancel);
        await using var gateway = await StartGatewayAsync(auth.Address, "gateway", service.Address, cancel);

        using (var check = new HttpClient { BaseAddress = new Uri(gateway.Address) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/crm/ping");
            request.Headers.Add("X-API-Key", key);
            request.Headers.Authorization = new("Bearer", token);
            using var response = await check.SendAsync(request, cancel);
            if (!response.IsSuccessStatusCode || !(await response.Content.ReadAsStringAsync(cancel)).Contains(tenant, StringComparison.Ordinal))
            {
                throw new BenchmarkException($"the gateway answered {(int)response.StatusCode} to the warm-up request");
            }
        }

        // Both paths are run once unmeasured first, so tiered JIT has compiled them before the clock runs.
        var warmUp = Math.Max(5, seconds);
        Progress($"warm-up: wrk on each path, {warmUp} s each");
        await WrkAsync($"{service.Address}/api/v1/crm/ping", connections, warmUp, [$"Authorization: Bearer {token}"], cancel);
        await WrkAsync($"{gateway.Address}/api/v1/crm/ping", connections, warmUp, [$"Authorization: Bearer {token}", $"X-API-Key: {key}"], cancel);
        await using var bare = await BareProxy.StartAsync(service.Address, cancel);
        await WrkAsync($"{bare.Address}/api/v1/crm/ping", connections, warmUp, [$"Authorization: Bearer {token}"], cancel);

        // Interleaved rounds, each path once per round in a rotating order: this machine's speed drifts by
        // tens of percent over a minute, and paths measured minutes apart compare that drift, not the paths.
        var paths = new (string Name, string Url, string[] Headers)[]
        {
            ("direct", $"{service.Address}/api/v1/crm/ping", [$"Authorization: Bearer {token}"]),
            ("gateway", $"{gateway.Address}/api/v1/crm/ping", [$"Authorization: Bearer {token}", $"X-API-Key: {key}"]),
            ("bare", $"{bare.Address}/api/v1/crm/ping", [$"Authorization: Bearer {token}"]),
        };
        var results = paths.ToDictionary(p => p.Name, _ => new List<WrkResult>());
        for (var round = 0; round < rounds; round++)
        {
            Progress($"round {round + 1} of {rounds}: wrk on each path, {connections} connections, {seconds} s each");
            for (var i = 0; i < paths.Length; i++)
            {
                var (name, url, headers) = paths[(i + round) % paths.Length];
                results[name].Add(await WrkAsync(url, connections, seconds, headers, cancel));
            }
        }
        var direct = Median(results["direct"]);
        var proxied = Median(results["gateway"]);
        var floor = Median(results["bare"]);
        var gatewayToBare = MedianRatio(results["gateway"], results["bare"]);
        var gatewayToDirect = MedianRatio(results["gateway"], results["direct"]);
        Console.WriteLine($"gateway rounds: {rounds} × {seconds} s per path; medians over the rounds; ratios are medians of each round's ratio");
        Console.WriteLine($"gateway direct: {N(direct.RequestsPerSecond)} requests/s, p50 {direct.P50Ms:F2} ms, p99 {direct.P99Ms:F2} ms ({connections} connections, {results["direct"].Sum(r => r.Errors)} errors)");
        Console.WriteLine($"gateway through: {N(proxied.RequestsPerSecond)} requests/s, p50 {proxied.P50Ms:F2} ms, p99 {proxied.P99Ms:F2} ms ({connections} connections, {results["gateway"].Sum(r => r.Errors)} errors)");
        Console.WriteLine($"gateway floor, a bare YARP proxy (no checks): {N(floor.RequestsPerSecond)} requests/s, p50 {floor.P50Ms:F2} ms, p99 {floor.P99Ms:F2} ms ({results["bare"].Sum(r => r.Errors)} errors); bare/direct ratio {MedianRatio(results["bare"], results["direct"]):F2}");
        Console.WriteLine($"gateway/bare YARP per round: {string.Join(" ", results["gateway"].Zip(results["bare"], (g, b) => (g.RequestsPerSecond / b.RequestsPerSecond).ToString("F2", CultureInfo.InvariantCulture)))}");
        Console.WriteLine($"gateway p50 through the gateway: target <= 10 ms: {Met(proxied.P50Ms <= 10)}");
        Console.WriteLine($"gateway/direct throughput ratio: {gatewayToDirect:F2}");
        Console.WriteLine($"gateway/bare YARP throughput target >= 0.85: {Met(gatewayToBare >= 0.85)}");
        Console.WriteLine($"gateway/bare YARP throughput ratio: {gatewayToBare:F2}");
        return 0;
    }

    /// <summary>The gateway in front of Auth and one service (as <paramref name="service"/>), its limits raised out of the way: the benchmarks measure its cost, not its limits.</summary>
    internal static Task<BenchApp> StartGatewayAsync(string auth, string name, string address, CancellationToken cancel, string service = "crm") =>
        BenchApp.StartAsync("Codex.Gateway", new Dictionary<string, string?>
        {
            ["services:auth:http:0"] = auth,
            [$"services:{service}:http:0"] = address,
            ["ConnectionStrings:cache"] = Figures.ConnectionString("cache"),
            ["ConnectionStrings:messaging"] = Figures.ConnectionString("messaging"),
            ["EventBus:ServiceName"] = $"bench-{name}-gateway",
            ["ServiceIdentity:Secret"] = Codex.Testing.TestServiceIdentities.Secret(ResourceNames.Services.Gateway),
            ["Gateway:RateLimits:Default:KeyPerSecond"] = "1000000",
            ["Gateway:RateLimits:Default:KeyBurst"] = "1000000",
            ["Gateway:RateLimits:Default:TenantPerSecond"] = "1000000",
            ["Gateway:RateLimits:Default:TenantBurst"] = "1000000",
        }, builder => builder.AddGateway(), app => app.MapGateway(), cancel);

    internal sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Errors);

    /// <summary>Each figure's median over the rounds.</summary>
    private static WrkResult Median(List<WrkResult> rounds) => new(
        MedianOf(rounds.Select(r => r.RequestsPerSecond)), MedianOf(rounds.Select(r => r.P50Ms)), MedianOf(rounds.Select(r => r.P99Ms)), rounds.Sum(r => r.Errors));

    private static double MedianRatio(List<WrkResult> over, List<WrkResult> under) =>
        MedianOf(over.Zip(under, (o, u) => o.RequestsPerSecond / u.RequestsPerSecond));

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    internal static async Task<WrkResult> WrkAsync(string url, int connections, int seconds, string[] headers, CancellationToken cancel)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-t2", $"-c{connections}", $"-d{seconds}s", "--latency" })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var header in headers)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add(header);
        }
        start.ArgumentList.Add(url);
        using var wrk = Process.Start(start) ?? throw new BenchmarkException("wrk could not be started");
        var output = await wrk.StandardOutput.ReadToEndAsync(cancel);
        await wrk.WaitForExitAsync(cancel);
        if (wrk.ExitCode != 0)
        {
            throw new BenchmarkException($"wrk exited with {wrk.ExitCode}: {await wrk.StandardError.ReadToEndAsync(cancel)}");
        }
        var non2xx = NonSuccess().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var socketErrors = SocketErrors().Match(output) is { Success: true } s
            ? s.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture)) : 0;
        return new WrkResult(
            double.Parse(Rate().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            Milliseconds(Percentile50().Match(output)), Milliseconds(Percentile99().Match(output)), non2xx + socketErrors);
    }

    private static double Milliseconds(Match match)
    {
        if (!match.Success)
        {
            throw new BenchmarkException("wrk printed no latency distribution");
        }
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "ms" => value, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex Rate();

    [GeneratedRegex(@"^\s+50%\s+([\d.]+)(us|ms|s)", RegexOptions.Multiline)]
    private static partial Regex Percentile50();

    [GeneratedRegex(@"^\s+99%\s+([\d.]+)(us|ms|s)", RegexOptions.Multiline)]
    private static partial Regex Percentile99();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}
