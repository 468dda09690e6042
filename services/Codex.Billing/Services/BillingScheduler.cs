using Codex.Billing.Infrastructure;
using Codex.Billing.Model;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Codex.Billing.Services;

public sealed class BillingSchedulerOptions
{
    public const string Section = "Billing:Scheduler";

    public bool Enabled { get; set; } = true;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Due rows looked at per step and pass; the rest wait for the next.</summary>
    public int BatchSize { get; set; } = 200;
}

/// <summary>
/// Billing's clockwork, in three steps per pass: subscriptions due a change (trial end, renewal, end, dunning's
/// cancellation), drafts due to be finalized, open invoices due a payment attempt. Every replica runs one: each step
/// finds due rows across tenants (a declared cross-tenant lookup), then works each in its tenant's scope under a row
/// lock with SKIP LOCKED, so each step happens once.
/// </summary>
public sealed partial class BillingScheduler(
    IServiceScopeFactory scopes, IOptions<BillingSchedulerOptions> options, TimeProvider time, BillingClock clock, ILogger<BillingScheduler> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => !options.Value.Enabled ? Task.CompletedTask
        : PeriodicWork.RunAsync(options.Value.PollInterval, time, runAtStart: true, PassAsync, ex => LogPassFailed(logger, ex), stoppingToken);

    public async Task<int> PassAsync(CancellationToken cancellationToken)
    {
        var now = clock.Now;
        var size = options.Value.BatchSize;
        var done = await RunAsync(db => db.Subscriptions.IgnoreQueryFilters()
                .Where(s => s.Status != SubscriptionStatuses.Cancelled
                    && (s.CurrentPeriodEnd <= now
                        || (s.Status == SubscriptionStatuses.Trialing && s.TrialEndsAt <= now)
                        || (s.Status == SubscriptionStatuses.PastDue && s.CancelUnpaidAt <= now)))
                .OrderBy(s => s.CurrentPeriodEnd).Take(size).Select(s => new Due(s.Id, s.TenantId)),
            (services, id, ct) => services.GetRequiredService<SubscriptionLifecycle>().AdvanceAsync(id, ct), cancellationToken);
        done += await RunAsync(db => db.Invoices.IgnoreQueryFilters()
                .Where(i => i.Status == InvoiceStatuses.Draft && i.FinalizeAt <= now)
                .OrderBy(i => i.FinalizeAt).Take(size).Select(i => new Due(i.Id, i.TenantId)),
            (services, id, ct) => services.GetRequiredService<InvoiceService>().FinalizeAsync(id, force: false, ct), cancellationToken);
        done += await RunAsync(db => db.Invoices.IgnoreQueryFilters()
                .Where(i => i.Status == InvoiceStatuses.Open && i.NextPaymentAt <= now)
                .OrderBy(i => i.NextPaymentAt).Take(size).Select(i => new Due(i.Id, i.TenantId)),
            (services, id, ct) => services.GetRequiredService<PaymentService>().AttemptAsync(id, ct), cancellationToken);
        return done;
    }

    private sealed record Due(Guid Id, string TenantId);

    private async Task<int> RunAsync(Func<BillingDbContext, IQueryable<Due>> find, Func<IServiceProvider, Guid, CancellationToken, Task<bool>> work, CancellationToken cancellationToken)
    {
        List<Due> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            using (db.AcrossTenants())
            {
                due = await find(db).AsNoTracking().ToListAsync(cancellationToken);
            }
        }
        var done = 0;
        foreach (var (id, tenantId) in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId);
            if (await work(scope.ServiceProvider, id, cancellationToken))
            {
                done++;
            }
        }
        return done;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A billing scheduler pass failed; the next pass retries")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
