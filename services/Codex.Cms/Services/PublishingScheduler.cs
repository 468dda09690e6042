using Codex.Cms.Infrastructure;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Codex.Cms.Services;

public sealed class PublishingSchedulerOptions
{
    public const string Section = "Cms:Scheduler";

    public bool Enabled { get; set; } = true;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Due items looked at per pass; the rest wait for the next.</summary>
    public int BatchSize { get; set; } = 100;
}

/// <summary>
/// Fires scheduled publishes and unpublishes. Every replica runs one: each pass finds due items across tenants (a
/// declared cross-tenant lookup), then fires each in its tenant's scope, where <see cref="ContentItemService.FireScheduledAsync"/>
/// claims the row with <c>SKIP LOCKED</c> and clears the due time in the same transaction, so a time fires once.
/// </summary>
public sealed partial class PublishingScheduler(
    IServiceScopeFactory scopes, IOptions<PublishingSchedulerOptions> options, TimeProvider clock, ILogger<PublishingScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => !options.Value.Enabled ? Task.CompletedTask
        : PeriodicWork.RunAsync(options.Value.PollInterval, clock, runAtStart: true, PassAsync, ex => LogPassFailed(logger, ex), stoppingToken);

    public async Task<int> PassAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        List<(Guid Id, string TenantId)> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CmsDbContext>();
            using (db.AcrossTenants())
            {
                due = (await db.ContentItems.IgnoreQueryFilters().AsNoTracking()
                        .Where(i => i.PublishAt <= now || i.UnpublishAt <= now)
                        .OrderBy(i => i.Id).Take(options.Value.BatchSize)
                        .Select(i => new { i.Id, i.TenantId }).ToListAsync(cancellationToken))
                    .Select(i => (i.Id, i.TenantId)).ToList();
            }
        }
        var fired = 0;
        foreach (var (id, tenantId) in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId);
            if (await scope.ServiceProvider.GetRequiredService<ContentItemService>().FireScheduledAsync(id, cancellationToken))
            {
                fired++;
            }
        }
        return fired;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A publishing schedule pass failed; the next pass retries")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
