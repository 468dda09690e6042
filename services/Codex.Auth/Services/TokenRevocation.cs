using Codex.Security.Revocation;
using StackExchange.Redis;

namespace Codex.Auth.Services;

/// <summary>
/// Auth's side of <see cref="RevokedTokens"/>: announces ended sessions, revoked keys and suspended tenants
/// after the database says so. A Redis outage does not fail the write (the session is already ended for
/// refresh): the announcement is retried in the background, doubling its wait up to 30 s, for as long as
/// the tokens it stops could live, so the tokens stop within seconds of Redis coming back.
/// </summary>
public sealed partial class TokenRevocation(ILogger<TokenRevocation> logger, IHostApplicationLifetime lifetime, RevokedTokens? revoked = null)
{
    // A revoked token lives at most this long (15 minutes and skew); retrying past it changes nothing.
    private static readonly TimeSpan RetryFor = TimeSpan.FromMinutes(16);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    public Task SessionsEndedAsync(IReadOnlyCollection<Guid> sessions) =>
        sessions.Count == 0 ? Task.CompletedTask : SafelyAsync(r => r.RevokeSessionsAsync(sessions), $"{sessions.Count} session(s)");

    public Task KeyRevokedAsync(Guid keyId) => SafelyAsync(r => r.RevokeKeyAsync(keyId), $"API key {keyId}");

    public Task TenantSuspendedAsync(string tenantId) => SafelyAsync(r => r.SuspendTenantAsync(tenantId), $"tenant {tenantId}");

    public Task TenantReactivatedAsync(string tenantId) => SafelyAsync(r => r.ReinstateTenantAsync(tenantId), $"tenant {tenantId}");

    public Task TenantDeletedAsync(string tenantId) => SafelyAsync(r => r.EndTenantAsync(tenantId), $"tenant {tenantId}");

    private async Task SafelyAsync(Func<RevokedTokens, Task> announce, string what)
    {
        if (revoked is null)
        {
            return;   // no cache configured (a bare test host): tokens end at their expiry
        }
        try
        {
            await announce(revoked);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogNotAnnounced(logger, ex, what);
            _ = RetryAsync(announce, revoked, what);
        }
    }

    private async Task RetryAsync(Func<RevokedTokens, Task> announce, RevokedTokens target, string what)
    {
        var stopping = lifetime.ApplicationStopping;
        var giveUpAt = DateTime.UtcNow + RetryFor;
        var delay = TimeSpan.FromSeconds(1);
        while (DateTime.UtcNow < giveUpAt && !stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, stopping);
                await announce(target);
                LogAnnouncedLate(logger, what);
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
        LogGaveUp(logger, what);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The revocation of {What} could not be announced (Redis); retrying until Redis is back")]
    private static partial void LogNotAnnounced(ILogger logger, Exception exception, string what);

    [LoggerMessage(Level = LogLevel.Information, Message = "The revocation of {What} was announced after Redis came back")]
    private static partial void LogAnnouncedLate(ILogger logger, string what);

    [LoggerMessage(Level = LogLevel.Error, Message = "The revocation of {What} was never announced: Redis stayed away longer than its tokens live")]
    private static partial void LogGaveUp(ILogger logger, string what);
}
