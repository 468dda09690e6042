using Codex.Security.Revocation;
using StackExchange.Redis;

namespace Codex.Auth.Services;

/// <summary>
/// Auth's side of <see cref="RevokedTokens"/>: announces ended sessions and suspended tenants after the
/// database says so. A Redis outage is logged and does not fail the write: the session is still ended for
/// refresh, and its access tokens then stop at their expiry (15 minutes) instead of within seconds.
/// </summary>
public sealed partial class TokenRevocation(ILogger<TokenRevocation> logger, RevokedTokens? revoked = null)
{
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
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The revocation of {What} could not be announced (Redis); its access tokens stop at their expiry")]
    private static partial void LogNotAnnounced(ILogger logger, Exception exception, string what);
}
