using Codex.Billing.Infrastructure;
using Codex.Billing.Model;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Codex.Billing.Services;

public sealed class SubscriptionRenewalOptions
{
    public const string Section = "Billing:Renewals";

    public bool Enabled { get; set; } = true;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Due subscriptions looked at per pass; the rest wait for the next.</summary>
    public int BatchSize { get; set; } = 200;
}

/// <summary>
/// Ends trials, renews periods and ends subscriptions cancelled at period end. Every replica runs one: a pass finds due
/// subscriptions across tenants (a declared cross-tenant lookup), then advances each in its tenant's scope, where
/// <see cref="SubscriptionLifecycle"/> takes the row with SKIP LOCKED, so each step happens once.
/// </summary>
public sealed partial class SubscriptionRenewals(
    IServiceScopeFactory scopes, IOptions<SubscriptionRenewalOptions> options, TimeProvider time, BillingClock clock, ILogger<SubscriptionRenewals> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => !options.Value.Enabled ? Task.CompletedTask
        : PeriodicWork.RunAsync(options.Value.PollInterval, time, runAtStart: true, PassAsync, ex => LogPassFailed(logger, ex), stoppingToken);

    public async Task<int> PassAsync(CancellationToken cancellationToken)
    {
        var now = clock.Now;
        List<(Guid Id, string TenantId)> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            using (db.AcrossTenants())
            {
                due = (await db.Subscriptions.IgnoreQueryFilters().AsNoTracking()
                        .Where(s => s.Status != SubscriptionStatuses.Cancelled
                            && (s.CurrentPeriodEnd <= now || (s.Status == SubscriptionStatuses.Trialing && s.TrialEndsAt <= now)))
                        .OrderBy(s => s.CurrentPeriodEnd).Take(options.Value.BatchSize)
                        .Select(s => new { s.Id, s.TenantId }).ToListAsync(cancellationToken))
                    .Select(s => (s.Id, s.TenantId)).ToList();
            }
        }
        var advanced = 0;
        foreach (var (id, tenantId) in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId);
            if (await scope.ServiceProvider.GetRequiredService<SubscriptionLifecycle>().AdvanceAsync(id, cancellationToken))
            {
                advanced++;
            }
        }
        return advanced;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A subscription renewal pass failed; the next pass retries")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
