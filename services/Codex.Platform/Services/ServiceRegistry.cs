using System.Diagnostics;
using Codex.Platform.Contracts;
using Codex.Platform.Infrastructure;
using Codex.Platform.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Codex.Platform.Services;

public sealed class RegistryOptions
{
    public const string Section = "Platform:Registry";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromHours(24);
}

/// <summary>
/// The service registry: every service named by service discovery (<c>services__&lt;name&gt;__http__0</c>),
/// its URL, version (the <c>X-Codex-Version</c> header of <c>/health</c>) and health, polled and kept 24 h.
/// </summary>
public sealed class ServiceRegistry(
    PlatformDbContext db, IHttpClientFactory httpClients, IConfiguration configuration, IServiceProvider services,
    IOptions<RegistryOptions> options, TimeProvider clock)
{
    public const string HealthClient = "health";

    /// <summary>Service name → base URL, from configuration.</summary>
    public IReadOnlyDictionary<string, string> Configured() =>
        configuration.GetSection("services").GetChildren()
            .Select(s => (s.Key, Url: s["http:0"] ?? s["https:0"]))
            .Where(s => s.Url is { Length: > 0 })
            .ToDictionary(s => s.Key, s => s.Url!.TrimEnd('/'), StringComparer.OrdinalIgnoreCase);

    public async Task PollAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var configured = Configured();
        var polls = await Task.WhenAll(configured.Select(s => CheckAsync(s.Key, s.Value, cancellationToken)));
        var known = await db.Services.ToDictionaryAsync(s => s.Name, cancellationToken);
        foreach (var (name, url, check, version) in polls)
        {
            if (!known.TryGetValue(name, out var service))
            {
                service = new RegisteredService { Name = name, Url = url };
                db.Services.Add(service);
            }
            service.Url = url;
            service.Status = check.Status;
            service.ResponseMs = check.ResponseMs;
            service.LastCheckedAt = check.CheckedAt;
            service.Version = version ?? service.Version;
            if (check.Status == HealthStatuses.Healthy)
            {
                service.LastHealthyAt = check.CheckedAt;
            }
            db.HealthChecks.Add(check);
        }
        await db.SaveChangesAsync(cancellationToken);
        await db.HealthChecks.Where(c => c.CheckedAt < now - options.Value.HistoryRetention).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task<(string Name, string Url, ServiceHealthCheck Check, string? Version)> CheckAsync(string name, string url, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var check = new ServiceHealthCheck { Service = name, CheckedAt = clock.GetUtcNow(), Status = HealthStatuses.Unreachable };
        string? version = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.HealthTimeout);
            using var response = await httpClients.CreateClient(HealthClient).GetAsync($"{url}/health", timeout.Token);
            var body = (await response.Content.ReadAsStringAsync(timeout.Token)).Trim();
            check.Status = body.Contains(HealthStatuses.Degraded, StringComparison.Ordinal) ? HealthStatuses.Degraded
                : response.IsSuccessStatusCode ? HealthStatuses.Healthy : HealthStatuses.Unhealthy;
            version = response.Headers.TryGetValues("X-Codex-Version", out var values) ? values.FirstOrDefault() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            check.Error = ex.Message.Length > 1000 ? ex.Message[..1000] : ex.Message;
        }
        check.ResponseMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return (name, url, check, version);
    }

    /// <summary>Every service with its health, availability over 24 h, sync lag over 5 min and dead letters.</summary>
    public async Task<IReadOnlyList<ServiceOverview>> OverviewAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var registered = await db.Services.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken);
        var since = now - options.Value.HistoryRetention;
        var availability = await db.HealthChecks.AsNoTracking().Where(c => c.CheckedAt >= since)
            .GroupBy(c => c.Service)
            .Select(g => new { g.Key, Healthy = g.Count(c => c.Status == HealthStatuses.Healthy), All = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => 100.0 * g.Healthy / g.All, cancellationToken);
        var lag = await SyncLagAsync(now - TimeSpan.FromMinutes(5), cancellationToken);
        var result = new List<ServiceOverview>();
        foreach (var s in registered)
        {
            result.Add(new ServiceOverview(s.Name, s.Url, s.Version, s.Status, s.ResponseMs, s.LastCheckedAt, s.LastHealthyAt,
                availability.TryGetValue(s.Name, out var a) ? Math.Round(a, 2) : null, lag.GetValueOrDefault(s.Name),
                await DeadLettersAsync(s.Name, cancellationToken)));
        }
        return result;
    }

    public async Task<IReadOnlyList<HealthCheckDto>> HistoryAsync(string name, TimeSpan window, CancellationToken cancellationToken)
    {
        if (!await db.Services.AnyAsync(s => s.Name == name, cancellationToken))
        {
            throw new NotFoundException($"No service '{name}' in the registry.");
        }
        var since = clock.GetUtcNow() - window;
        return await db.HealthChecks.AsNoTracking().Where(c => c.Service == name && c.CheckedAt >= since).OrderByDescending(c => c.CheckedAt)
            .Select(c => new HealthCheckDto(c.CheckedAt, c.Status, c.ResponseMs, c.Error)).ToListAsync(cancellationToken);
    }

    /// <summary>p50/p95/max of occurredAt → applied per source service, from the audit log's two timestamps.</summary>
    public async Task<Dictionary<string, SyncLag>> SyncLagAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQueryRaw<LagRow>("""
            SELECT source,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95,
                   max(ms) AS max, count(*)::int AS events
            FROM (SELECT source, extract(epoch FROM recorded_at - occurred_at) * 1000 AS ms FROM audit_log WHERE recorded_at >= {0}) lag
            GROUP BY source
            """, since).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Source, r => new SyncLag(Math.Round(r.P50, 1), Math.Round(r.P95, 1), Math.Round((double)r.Max, 1), r.Events));
    }

    private sealed record LagRow(string Source, double P50, double P95, decimal Max, int Events);

    /// <summary>Messages waiting in the service's dead-letter queue, or null when it has none (or RabbitMQ is not reachable).</summary>
    private async Task<long?> DeadLettersAsync(string service, CancellationToken cancellationToken)
    {
        if (services.GetService<IConnection>() is not { IsOpen: true } connection)
        {
            return null;
        }
        try
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            return (await channel.QueueDeclarePassiveAsync($"codex.{service}.dlq", cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return null;   // the service has never declared one (it consumes no events)
        }
    }
}

/// <summary>Polls the registry's services on an interval.</summary>
public sealed partial class HealthPoller(IServiceScopeFactory scopes, IOptions<RegistryOptions> options, TimeProvider clock, ILogger<HealthPoller> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(options.Value.PollInterval, clock, runAtStart: true, async ct =>
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ServiceRegistry>().PollAsync(ct);
        }, ex => LogFailed(logger, ex), stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling the services' health failed; trying again at the next poll")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
