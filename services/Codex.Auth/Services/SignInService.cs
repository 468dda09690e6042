using Codex.Auth.Contracts;
using Codex.Auth.Identity;
using Codex.Auth.Infrastructure;
using Codex.Auth.Model;
using Codex.Contracts;
using Codex.Messaging.Outbox;
using Codex.Security;
using Codex.Security.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Codex.Auth.Services;

/// <summary>
/// Password sign-in with Identity's hashing and lockout, then the second factor when enrolled.
/// Every failure is recorded (auth_events and <c>auth.user.login_failed</c>) and answers the same
/// 401 whether the email or the password was wrong.
/// </summary>
public sealed class SignInService(
    AuthDbContext db, UserManager<User> users, SessionService sessions, TenantGuard tenants, TenantContext tenant,
    AuthEventLog log, IEventOutbox outbox, AuthMetrics metrics, TimeProvider clock)
{
    // Verified against when the email is unknown, so both failures cost one hash.
    private static readonly string DummyHash = new PasswordHasher<User>().HashPassword(null!, "codex-timing-equaliser");

    public async Task<TokenResponse> LoginAsync(LoginRequest request, CancellationToken cancellationToken)
    {
        var tenantId = request.Tenant is { Length: > 0 } named ? named : tenant.TenantId ?? CodexClaims.PlatformTenant;
        await tenants.EnsureActiveAsync(tenantId, cancellationToken);
        tenant.Set(tenantId);
        var now = clock.GetUtcNow();

        var user = await users.FindByEmailAsync(request.Email);
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(null!, DummyHash, request.Password);
            await FailAsync(tenantId, null, request.Email, "invalid_credentials", [], cancellationToken);
            throw InvalidCredentials();
        }
        if (await users.IsLockedOutAsync(user))
        {
            await FailAsync(tenantId, user.Id, request.Email, "locked_out", [], cancellationToken);
            throw new UnauthorizedException($"Too many failed attempts; try again after {user.LockoutEnd:u}.", "locked_out");
        }
        if (!await users.CheckPasswordAsync(user, request.Password))
        {
            await FailAsync(tenantId, user, request.Email, "invalid_credentials", cancellationToken);
            throw InvalidCredentials();
        }
        if (!user.IsActive)
        {
            await FailAsync(tenantId, user.Id, request.Email, "account_disabled", [], cancellationToken);
            throw new ForbiddenException("The account is deactivated.", "account_disabled");
        }

        var mfa = false;
        if (user.TwoFactorEnabled)
        {
            if (string.IsNullOrWhiteSpace(request.MfaCode))
            {
                throw new UnauthorizedException("This account uses two-factor sign-in: send the authenticator code as mfaCode.", "mfa_required");
            }
            if (!await users.VerifyAsync(user, request.MfaCode))
            {
                await FailAsync(tenantId, user, request.Email, "invalid_mfa_code", cancellationToken);
                throw new UnauthorizedException("The authenticator or recovery code is not correct.", "invalid_mfa_code");
            }
            mfa = true;
        }

        await users.ResetAccessFailedCountAsync(user);
        log.Add(AuthEventLog.LoggedIn, tenantId, user.Id, user.Email, new { mfa });
        metrics.Login(tenantId, "success");
        var tokens = await sessions.StartAsync(user, mfa, [new UserLoggedIn(tenantId, user.Id, now)], cancellationToken);
        // Not through the tracked user: its concurrency stamp would make two simultaneous sign-ins of
        // one user conflict over a column that only records the latest.
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(set => set.SetProperty(u => u.LastLogin, now), cancellationToken);
        return tokens;
    }

    /// <summary>A wrong password or code counts toward lockout; reaching the limit is its own event.</summary>
    private async Task FailAsync(string tenantId, User user, string email, string reason, CancellationToken cancellationToken)
    {
        await users.AccessFailedAsync(user);
        var events = new List<IIntegrationEvent>();
        if (await users.IsLockedOutAsync(user))
        {
            var until = user.LockoutEnd ?? clock.GetUtcNow();
            log.Add(AuthEventLog.LockedOut, tenantId, user.Id, email, new { until });
            events.Add(new UserLockedOut(tenantId, user.Id, until));
            metrics.Lockout(tenantId);
        }
        await FailAsync(tenantId, user.Id, email, reason, events, cancellationToken);
    }

    private async Task FailAsync(string tenantId, Guid? userId, string email, string reason, List<IIntegrationEvent> events, CancellationToken cancellationToken)
    {
        log.Add(AuthEventLog.LoginFailed, tenantId, userId, email, new { reason });
        metrics.Login(tenantId, reason);
        events.Add(new UserLoginFailed(tenantId, email, reason, clock.GetUtcNow()));
        await outbox.SaveChangesAsync(events, cancellationToken);
    }

    private static UnauthorizedException InvalidCredentials() =>
        new("The email, password or tenant is not correct.", "invalid_credentials");
}
