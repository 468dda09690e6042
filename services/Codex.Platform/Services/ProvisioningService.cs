using Codex.Platform.Contracts;
using Codex.Platform.Infrastructure;
using Codex.Platform.Model;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Codex.Platform.Services;

public sealed class ProvisioningOptions
{
    public const string Section = "Platform:Provisioning";

    /// <summary>How often pending steps are looked for.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts of a step whose service is down.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Runs a tenant's provisioning steps. Today one service takes part, Auth (replica, first admin); a step
/// whose service is unreachable stays pending and is retried with backoff, one the service refuses
/// (a weak password, say) fails with the reason until a superadmin retries it.
/// </summary>
public sealed class ProvisioningService(
    PlatformDbContext db, AuthProvisioningClient auth, IDataProtectionProvider protection, PlatformMetrics metrics,
    IOptions<ProvisioningOptions> options, TimeProvider clock)
{
    public const string AuthStep = "auth";

    private readonly IDataProtector _protector = protection.CreateProtector("Codex.Platform.Provisioning.AdminPassword");

    public string? Protect(string? password) => password is { Length: > 0 } ? _protector.Protect(password) : null;

    /// <summary>One attempt at a step (tracked changes are saved by the caller).</summary>
    public async Task<CallOutcome<AuthProvisionedAdmin>> RunAsync(Tenant tenant, ProvisioningStep step, CancellationToken cancellationToken)
    {
        var admin = await db.Admins.FirstAsync(a => a.TenantId == tenant.Id, cancellationToken);
        var password = step.ProtectedInput is { } input ? _protector.Unprotect(input) : null;
        var outcome = await auth.ProvisionAsync(tenant.Id, new AuthProvisionRequest(tenant.Name, admin.Email, password, tenant.Plan), cancellationToken);
        Record(step, outcome, admin);
        return outcome;
    }

    /// <summary>Writes an attempt's outcome onto the step (and the admin it created).</summary>
    public void Record(ProvisioningStep step, CallOutcome<AuthProvisionedAdmin> outcome, TenantAdmin admin)
    {
        var now = clock.GetUtcNow();
        step.Attempts++;
        step.UpdatedAt = now;
        switch (outcome)
        {
            case CallOutcome<AuthProvisionedAdmin>.Done done:
                step.Status = ProvisioningStatus.Done;
                step.CompletedAt = now;
                step.LastError = null;
                step.ProtectedInput = null;   // the password is Auth's now; Platform keeps no copy
                admin.AuthUserId = done.Value.UserId;
                admin.Invited = done.Value.Invited;
                metrics.ProvisioningAttempt(step.Service, "done");
                break;
            case CallOutcome<AuthProvisionedAdmin>.Refused refused:
                step.Status = ProvisioningStatus.Failed;
                step.LastError = Describe(refused);
                metrics.ProvisioningAttempt(step.Service, "failed");
                break;
            case CallOutcome<AuthProvisionedAdmin>.Unavailable unavailable:
                step.Status = ProvisioningStatus.Pending;
                step.LastError = unavailable.Reason;
                var backoff = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(step.Attempts, 16)), options.Value.MaxBackoff.TotalSeconds));
                step.NextAttemptAt = now + backoff;
                metrics.ProvisioningAttempt(step.Service, "pending");
                break;
        }
    }

    /// <summary>Steps due now, across tenants, locked so that two replicas never run the same one.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await db.InTransactionAsync(async ct =>
        {
            var due = await db.ProvisioningSteps
                .FromSqlRaw("SELECT * FROM provisioning_steps WHERE status = 'Pending' AND next_attempt_at <= {0} ORDER BY next_attempt_at LIMIT 20 FOR UPDATE SKIP LOCKED", now)
                .ToListAsync(ct);
            foreach (var step in due)
            {
                var tenant = await db.Tenants.FirstAsync(t => t.Id == step.TenantId, ct);
                await RunAsync(tenant, step, ct);
            }
            await db.SaveChangesAsync(ct);
            return due.Count;
        }, cancellationToken);
    }

    private static string Describe(CallOutcome<AuthProvisionedAdmin>.Refused refused) =>
        refused.Errors is { Count: > 0 } errors
            ? $"{refused.Reason} {string.Join(" ", errors.SelectMany(e => e.Value.Select(v => $"{e.Key}: {v}")))}"
            : refused.Reason;
}

/// <summary>Retries pending provisioning steps in the background until their service answers.</summary>
public sealed partial class ProvisioningWorker(IServiceScopeFactory scopes, IOptions<ProvisioningOptions> options, TimeProvider clock, ILogger<ProvisioningWorker> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(options.Value.PollInterval, clock, runAtStart: true, async ct =>
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ProvisioningService>().RunDueAsync(ct);
        }, ex => LogFailed(logger, ex), stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Running due provisioning steps failed; trying again at the next poll")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
