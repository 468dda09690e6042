using Codex.Auth.Contracts;
using Codex.Auth.Infrastructure;
using Codex.Auth.Model;
using Codex.Auth.Tokens;
using Codex.Contracts;
using Codex.Messaging.Outbox;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Codex.Auth.Services;

/// <summary>
/// Sessions and their refresh tokens: start one at sign-in, rotate on refresh, and treat a rotated
/// token shown again as theft: the whole session (the token family) is revoked and recorded.
/// </summary>
public sealed class SessionService(
    AuthDbContext db, IEventOutbox outbox, AccessTokenIssuer issuer, PermissionResolver permissions,
    AuthEventLog log, TenantGuard tenants, TenantContext tenant, IHttpContextAccessor http,
    IOptions<AuthServiceOptions> options, AuthMetrics metrics, TokenRevocation revocation, TimeProvider clock)
{
    public const string RefreshTokenPrefix = "cdxr_";

    /// <summary>Starts a session for <paramref name="user"/>; saves it with <paramref name="events"/>.</summary>
    public async Task<TokenResponse> StartAsync(User user, bool mfa, List<IIntegrationEvent> events, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var session = new Session
        {
            Id = Guid.CreateVersion7(),
            TenantId = user.TenantId,
            UserId = user.Id,
            CreatedAt = now,
            LastRefreshedAt = now,
            ExpiresAt = now + options.Value.SessionLifetime,
            IpAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            UserAgent = Truncate(http.HttpContext?.Request.Headers.UserAgent.ToString(), 512),
            Mfa = mfa,
        };
        db.Sessions.Add(session);
        var refreshToken = AddRefreshToken(session, now);
        await outbox.SaveChangesAsync(events, cancellationToken);
        return await TokensAsync(user, session, refreshToken, cancellationToken);
    }

    /// <summary>Exchanges a refresh token for a new pair; reuse of a spent token revokes its session.</summary>
    public async Task<TokenResponse> RefreshAsync(string presented, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var hash = Secrets.Hash(presented);
        // The token names its tenant; nothing else does yet, so this one lookup crosses tenants.
        RefreshToken? found;
        using (db.AcrossTenants())
        {
            found = await db.RefreshTokens.IgnoreQueryFilters().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        }
        var token = found ?? throw new UnauthorizedException("The refresh token is not valid.", "invalid_refresh_token");
        tenant.Set(token.TenantId);
        var session = await db.Sessions.FirstAsync(s => s.Id == token.SessionId, cancellationToken);
        if (!session.IsActive(now))
        {
            throw new UnauthorizedException("The session has ended; sign in again.", "session_ended");
        }

        // Claiming the token is one conditional update: of two racing refreshes exactly one wins.
        var claimed = token.UsedAt is null && await db.RefreshTokens
            .Where(t => t.Id == token.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.UsedAt, now), cancellationToken) == 1;
        if (!claimed)
        {
            await RevokeForReuseAsync(session, now, cancellationToken);
            throw new UnauthorizedException("The refresh token was already used; the session has been revoked.", "refresh_token_reused");
        }
        if (token.ExpiresAt <= now)
        {
            throw new UnauthorizedException("The refresh token has expired; sign in again.", "invalid_refresh_token");
        }

        await tenants.EnsureActiveAsync(session.TenantId, cancellationToken);
        var user = await db.Users.FirstAsync(u => u.Id == session.UserId, cancellationToken);
        if (!user.IsActive)
        {
            session.RevokedAt = now;
            session.RevokedReason = "user_deactivated";
            await db.SaveChangesAsync(cancellationToken);
            await revocation.SessionsEndedAsync([session.Id]);
            throw new UnauthorizedException("The account is deactivated.", "account_disabled");
        }
        session.LastRefreshedAt = now;
        var next = AddRefreshToken(session, now);
        await db.SaveChangesAsync(cancellationToken);
        return await TokensAsync(user, session, next, cancellationToken);
    }

    /// <summary>Ends a session (logout, or an admin's revoke); answers 404 for another tenant's.</summary>
    public async Task RevokeAsync(Guid sessionId, Guid? onlyForUser, string reason, CancellationToken cancellationToken)
    {
        var session = await db.Sessions.FirstOrDefaultAsync(s => s.Id == sessionId && (onlyForUser == null || s.UserId == onlyForUser), cancellationToken)
            ?? throw new NotFoundException($"Session {sessionId} was not found.");
        if (session.RevokedAt is null)
        {
            session.RevokedAt = clock.GetUtcNow();
            session.RevokedReason = reason;
        }
        var events = new List<IIntegrationEvent>();
        if (reason == "logout")
        {
            log.Add(AuthEventLog.LoggedOut, session.TenantId, session.UserId, data: new { sessionId });
            events.Add(new UserLoggedOut(session.TenantId, session.UserId, session.Id));
        }
        else
        {
            log.Add(AuthEventLog.SessionRevoked, session.TenantId, session.UserId, data: new { sessionId, reason });
        }
        await outbox.SaveChangesAsync(events, cancellationToken);
        await revocation.SessionsEndedAsync([session.Id]);
    }

    /// <summary>Ends every session of a user (deactivation, password reset), or every one but <paramref name="keep"/> (password change).</summary>
    public async Task<int> RevokeAllAsync(Guid userId, string reason, CancellationToken cancellationToken, Guid? keep = null)
    {
        var now = clock.GetUtcNow();
        var ids = await db.Sessions.Where(s => s.UserId == userId && s.RevokedAt == null && s.Id != keep).Select(s => s.Id).ToListAsync(cancellationToken);
        var count = await db.Sessions.Where(s => ids.Contains(s.Id) && s.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.RevokedAt, now).SetProperty(s => s.RevokedReason, reason), cancellationToken);
        await revocation.SessionsEndedAsync(ids);
        return count;
    }

    private async Task RevokeForReuseAsync(Session session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        session.RevokedAt ??= now;
        session.RevokedReason ??= "refresh_token_reused";
        log.Add(AuthEventLog.RefreshTokenReused, session.TenantId, session.UserId, data: new { sessionId = session.Id });
        metrics.RefreshTokenReused(session.TenantId);
        await outbox.SaveChangesAsync([new RefreshTokenReused(session.TenantId, session.UserId, session.Id)], cancellationToken);
        await revocation.SessionsEndedAsync([session.Id]);
    }

    private string AddRefreshToken(Session session, DateTimeOffset now)
    {
        var secret = Secrets.New(RefreshTokenPrefix);
        var expires = now + options.Value.RefreshTokenLifetime;
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = Guid.CreateVersion7(),
            SessionId = session.Id,
            TenantId = session.TenantId,
            TokenHash = Secrets.Hash(secret),
            CreatedAt = now,
            ExpiresAt = expires < session.ExpiresAt ? expires : session.ExpiresAt,
        });
        return secret;
    }

    private async Task<TokenResponse> TokensAsync(User user, Session session, string refreshToken, CancellationToken cancellationToken)
    {
        var (roles, perms) = await permissions.ResolveAsync(user, cancellationToken);
        var access = await issuer.IssueAsync(new(user.Id, user.TenantId, user.Email!, roles, perms, session.Id, session.Mfa), cancellationToken);
        return new TokenResponse(access, refreshToken, (int)issuer.Lifetime.TotalSeconds);
    }

    private static string? Truncate(string? value, int length) =>
        string.IsNullOrEmpty(value) ? null : value.Length > length ? value[..length] : value;
}
