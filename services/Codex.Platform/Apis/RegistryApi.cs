using Codex.Platform.Contracts;
using Codex.Platform.Services;
using Codex.Platform.Summaries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Platform.Apis;

public static class RegistryApi
{
    public static void MapRegistryApi(this RouteGroupBuilder platform)
    {
        var services = platform.MapGroup("/services").WithTags("Services");
        services.MapGet("/", Overview).WithName("ServiceOverview").WithSummary("Every service: health, version, 24 h availability, sync lag (5 min) and dead letters.");
        services.MapGet("/{name}/health", History).WithName("ServiceHealthHistory").WithSummary("A service's health polls, newest first (?hours=1..24).");
        platform.MapPost("/reconciliation", Reconcile).WithTags("Summaries").WithName("Reconcile").WithSummary("Reconcile every tenant's summary now.");
    }

    public static async Task<Ok<IReadOnlyList<ServiceOverview>>> Overview(ServiceRegistry registry, CancellationToken cancellationToken) =>
        TypedResults.Ok(await registry.OverviewAsync(cancellationToken));

    public static async Task<Ok<IReadOnlyList<HealthCheckDto>>> History(string name, ServiceRegistry registry, CancellationToken cancellationToken, int hours = 24)
    {
        if (hours is < 1 or > 24)
        {
            throw new ValidationException("hours", "hours is 1 to 24 (history is kept 24 h).");
        }
        return TypedResults.Ok(await registry.HistoryAsync(name, TimeSpan.FromHours(hours), cancellationToken));
    }

    public static async Task<Ok<ReconciliationReport>> Reconcile(Reconciler reconciler, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reconciler.RunAsync(null, cancellationToken));
}
