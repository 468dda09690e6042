using System.Net.Http.Json;
using System.Text.Json;
using Codex.Platform.Contracts;
using Codex.Platform.Infrastructure;
using Codex.Platform.Model;
using Codex.Platform.Services;
using Codex.Security.ServiceIdentity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Codex.Platform.Summaries;

public sealed class ReconciliationOptions
{
    public const string Section = "Platform:Reconciliation";

    public bool Enabled { get; set; } = true;
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Compares each tenant's stored figures with each service's own <c>GET /internal/summary/{tenantId}</c>
/// and repairs what differs, recording every repair in <c>data_lineage</c> and on a metric. A service
/// that cannot be reached is reported and skipped; nothing is changed for it.
/// </summary>
public sealed partial class Reconciler(
    PlatformDbContext db, SummaryStore store, IEnumerable<ISummaryProjection> projections, IHttpClientFactory httpClients,
    IConfiguration configuration, PlatformMetrics metrics, ILogger<Reconciler> logger)
{
    /// <summary>The HttpClient that reads services' summaries with Platform's service token for each.</summary>
    public const string SummaryClient = "summaries";

    public async Task<ReconciliationReport> RunAsync(string? tenantId, CancellationToken cancellationToken)
    {
        var tenants = tenantId is not null
            ? [(await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tenantId, cancellationToken) ?? throw new NotFoundException($"Tenant '{tenantId}' was not found.")).Id]
            : await db.Tenants.AsNoTracking().Where(t => t.Status != TenantStatus.Deleted).OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(cancellationToken);
        var repairs = new List<RepairDto>();
        var unreachable = new HashSet<string>();
        var compared = 0;
        foreach (var tenant in tenants)
        {
            foreach (var projection in projections)
            {
                if (unreachable.Contains(projection.Service))
                {
                    continue;
                }
                var actual = await FetchAsync(projection.Service, tenant, cancellationToken);
                if (actual is null)
                {
                    unreachable.Add(projection.Service);
                    continue;
                }
                var storedFigures = await db.TenantSummaries.AsNoTracking()
                    .Where(f => f.TenantId == tenant && f.Service == projection.Service)
                    .ToDictionaryAsync(f => f.Figure, f => f.Value.RootElement.Clone(), cancellationToken);
                foreach (var figure in projection.Figures.Where(f => f.IsStored))
                {
                    if (!actual.Value.TryGetProperty(figure.Name, out var truth))
                    {
                        continue;   // the service does not report it: nothing to compare against
                    }
                    compared++;
                    var normalized = Normalize(figure, truth);
                    JsonElement? stored = storedFigures.TryGetValue(figure.Name, out var value) ? value : null;
                    if (Same(figure, stored, normalized))
                    {
                        continue;
                    }
                    await store.RepairAsync(tenant, projection.Service, figure.Name, stored, normalized, cancellationToken);
                    metrics.Repaired(projection.Service, figure.Name);
                    LogRepaired(logger, tenant, projection.Service, figure.Name, stored?.GetRawText() ?? "none", normalized.GetRawText());
                    repairs.Add(new RepairDto(tenant, projection.Service, figure.Name, stored, normalized));
                }
            }
        }
        return new ReconciliationReport(tenants.Count, compared, repairs, [.. unreachable]);
    }

    private async Task<JsonElement?> FetchAsync(string service, string tenantId, CancellationToken cancellationToken)
    {
        // A service this environment does not deploy has no address: it is not called (a call would be retried to DNS,
        // and those failures would open the client's circuit for the services that are there).
        if (!configuration.GetSection($"services:{service}").Exists())
        {
            return null;
        }
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{service}/internal/summary/{Uri.EscapeDataString(tenantId)}");
            request.Options.Set(ServiceTokens.Audience, service);
            using var response = await httpClients.CreateClient(SummaryClient).SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        }
        // InvalidOperationException: no endpoint is configured for the service (it is not deployed here yet).
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException or JsonException
                                   or Polly.CircuitBreaker.BrokenCircuitException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(logger, ex, service);
            return null;
        }
    }

    // Timestamps are stored in one ISO form, so a service's own form is converted before comparing.
    private static JsonElement Normalize(FigureDefinition figure, JsonElement value) =>
        figure.Kind == FigureKind.Latest && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at)
            ? JsonSerializer.SerializeToElement(SummaryStore.Iso(at))
            : value;

    private static bool Same(FigureDefinition figure, JsonElement? stored, JsonElement actual)
    {
        if (stored is not { } s)
        {
            return figure.Kind switch
            {
                FigureKind.Count => actual.ValueKind == JsonValueKind.Number && actual.GetDecimal() == 0,
                FigureKind.Amounts => Amounts(actual) is { } amounts && amounts.Values.All(a => a == 0),
                _ => actual.ValueKind == JsonValueKind.Null,
            };
        }
        return figure.Kind switch
        {
            FigureKind.Count => s.ValueKind == JsonValueKind.Number && actual.ValueKind == JsonValueKind.Number && s.GetDecimal() == actual.GetDecimal(),
            // Databases keep microseconds, events carry ticks: within a millisecond is the same instant.
            FigureKind.Latest => s.ValueKind == actual.ValueKind && (s.ValueKind != JsonValueKind.String
                || (s.TryGetDateTimeOffset(out var a) && actual.TryGetDateTimeOffset(out var b) && (a - b).Duration() < TimeSpan.FromMilliseconds(1))),
            // A currency with nothing left in it may be kept as 0 on one side and absent on the other.
            FigureKind.Amounts => Amounts(s) is { } mine && Amounts(actual) is { } theirs
                && mine.Keys.Union(theirs.Keys).All(key => mine.GetValueOrDefault(key) == theirs.GetValueOrDefault(key)),
            _ => true,
        };
    }

    /// <summary>An object of numbers as amounts per key; null for anything else (which never matches).</summary>
    private static Dictionary<string, decimal>? Amounts(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.Number)
            ? value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDecimal(), StringComparer.Ordinal)
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation repaired {TenantId} {Service}.{Figure}: {Was} -> {Now}")]
    private static partial void LogRepaired(ILogger logger, string tenantId, string service, string figure, string was, string now);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation could not read {Service}'s summary; skipping it this round")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string service);
}

/// <summary>Runs reconciliation on its interval (default 5 min).</summary>
public sealed partial class ReconciliationWorker(IServiceScopeFactory scopes, IOptions<ReconciliationOptions> options, TimeProvider clock, ILogger<ReconciliationWorker> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => !options.Value.Enabled
        ? Task.CompletedTask
        : PeriodicWork.RunAsync(options.Value.Interval, clock, runAtStart: false, async ct =>
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Reconciler>().RunAsync(null, ct);
        }, ex => LogFailed(logger, ex), stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A scheduled reconciliation failed; the next runs on schedule")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
