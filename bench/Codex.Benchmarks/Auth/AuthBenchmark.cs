using System.Diagnostics;
using Codex.Auth.Model;
using Codex.Security.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using static Codex.Benchmarks.Figures;

namespace Codex.Benchmarks.Auth;

/// <summary>
/// Sign-in throughput beside the raw password-hash rate of the same machine (hashing should dominate a
/// sign-in), then access-token validation on one core against a cached JWKS, as every service does it.
/// </summary>
internal static class AuthBenchmark
{
    public static async Task<int> RunAsync(CancellationToken cancel)
    {
        var seconds = Setting("CODEX_BENCH_AUTH_SECONDS", 20, 5);
        var connections = Setting("CODEX_BENCH_AUTH_CONNECTIONS", Environment.ProcessorCount * 2, 1);
        await using var auth = await BenchAuthHost.StartAsync("auth", cancel);
        // One user per connection, so sign-ins never contend for one user's row.
        var users = await auth.CreateUsersAsync(connections, "user", cancel);

        // Alternating short windows, so that both rates see the same machine (a VM's speed drifts).
        const int window = 5;
        var rounds = Math.Max(1, seconds / window);
        Progress($"raw PasswordHasher verify ({Environment.ProcessorCount} threads) and login over HTTP ({connections} connections), {rounds} x {window} s each, alternating");
        double hashed = 0, logins = 0;
        var latencies = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            hashed += RawHashRate(window, cancel);
            var (rate, samples) = await LoginRateAsync(auth, users, window, cancel);
            logins += rate;
            latencies.AddRange(samples);
        }
        var hashRate = hashed / rounds;
        var loginRate = logins / rounds;
        var sorted = latencies.Order().ToArray();
        var (p50, p99) = (Percentile(sorted, 0.5), Percentile(sorted, 0.99));
        var token = await auth.LoginAsync(users[0], BenchAuthHost.Password, BenchAuthHost.Tenant, cancel);
        Progress($"token validation, 1 thread, {seconds} s");
        var fullRate = await ValidationRateAsync(auth.Address, token, cached: false, seconds, cancel);
        Progress($"token validation through the validated-token cache, 1 thread, {seconds} s");
        var validationRate = await ValidationRateAsync(auth.Address, token, cached: true, seconds, cancel);

        var ratio = loginRate / hashRate;
        Console.WriteLine($"auth raw PasswordHasher verify: {hashRate:F1}/s ({Environment.ProcessorCount} threads, PBKDF2-HMAC-SHA512, Identity's default iterations)");
        Console.WriteLine($"auth login: {loginRate:F1} requests/s ({connections} connections), p50 {p50:F1} ms, p99 {p99:F1} ms");
        Console.WriteLine($"auth token validation, signature checked every time (RS256, cached JWKS, 1 thread): {N(fullRate)} validations/s");
        Console.WriteLine($"auth token validation as services run it (cached JWKS + validated-token cache, 1 thread): {N(validationRate)} validations/s (target >= 20 000: {Met(validationRate >= 20_000)})");
        Console.WriteLine($"auth login share of raw hash rate: target >= 0.80: {Met(ratio >= 0.8)}");
        Console.WriteLine($"login/raw-hash ratio: {ratio:F2}");
        return 0;
    }

    private static double RawHashRate(int seconds, CancellationToken cancel)
    {
        var hasher = new PasswordHasher<User>();
        var hash = hasher.HashPassword(null!, BenchAuthHost.Password);
        var until = Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;
        long count = 0;
        var watch = Stopwatch.StartNew();
        Parallel.For(0, Environment.ProcessorCount, new ParallelOptions { CancellationToken = cancel }, _ =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                hasher.VerifyHashedPassword(null!, hash, BenchAuthHost.Password);
                Interlocked.Increment(ref count);
            }
        });
        return count / watch.Elapsed.TotalSeconds;
    }

    private static async Task<(double Rate, List<double> Latencies)> LoginRateAsync(BenchAuthHost auth, string[] users, int seconds, CancellationToken cancel)
    {
        var until = Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;
        var latencies = new List<double>[users.Length];
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(users.Select(async (email, i) =>
        {
            latencies[i] = [];
            while (Stopwatch.GetTimestamp() < until)
            {
                var start = Stopwatch.GetTimestamp();
                await auth.LoginAsync(email, BenchAuthHost.Password, BenchAuthHost.Tenant, cancel);
                latencies[i].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        var elapsed = watch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).ToList();
        return (all.Count / elapsed, all);
    }

    private static async Task<double> ValidationRateAsync(string authAddress, string token, bool cached, int seconds, CancellationToken cancel)
    {
        // Exactly what a service runs: AddCodexAuthentication's JwtBearer over Auth's JWKS (fetched once, then
        // cached by IdentityModel's ConfigurationManager), through the authentication handler, one request each.
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["services:auth:http:0"] = authAddress.TrimEnd('/') });
        builder.AddServiceDefaults();
        builder.AddCodexAuthentication();
        builder.Logging.ClearProviders();
        using var host = builder.Build();
        host.Services.GetRequiredService<ValidatedTokenCache>().Duration = cached ? TimeSpan.FromMinutes(1) : TimeSpan.Zero;
        if (!await AuthenticateAsync(host.Services, token))
        {
            throw new BenchmarkException("the benchmark's own token did not validate");
        }
        var until = Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;
        long count = 0;
        var watch = Stopwatch.StartNew();
        while (Stopwatch.GetTimestamp() < until && !cancel.IsCancellationRequested)
        {
            if (!await AuthenticateAsync(host.Services, token))
            {
                throw new BenchmarkException("a valid token was refused mid-run");
            }
            count++;
        }
        return count / watch.Elapsed.TotalSeconds;
    }

    // One request as Kestrel hands it over: a scope of its own (so a handler of its own, which remembers
    // nothing from the last request) and the bearer header.
    private static async Task<bool> AuthenticateAsync(IServiceProvider services, string token)
    {
        await using var scope = services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = $"Bearer {token}";
        return (await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme)).Succeeded;
    }
}
