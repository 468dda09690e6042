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
using Microsoft.Extensions.Options;
using Codex.Auth.Tokens;

namespace Codex.Auth.Services;

/// <summary>
/// Password sign-in with Identity's hashing, then the second factor when enrolled. Every failure is recorded
/// (auth_events and <c>auth.user.login_failed</c>) and answers the same 401 whether the email or the password
/// was wrong, after the same work. Guessing is slowed by <see cref="AttemptThrottle"/>: per account and
/// address, per account, per address; an address is locked out of an account only when the account has no
/// second factor, so no one can lock its owner out from elsewhere.
/// </summary>
public sealed class SignInService(
    AuthDbContext db, UserManager<User> users, SessionService sessions, TenantGuard tenants, TenantContext tenant,
    AttemptThrottle throttle, IOptions<AuthServiceOptions> lockout, AuthEventLog log, IEventOutbox outbox, AuthMetrics metrics, TimeProvider clock)
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
        // Known or not, an email is throttled the same way, so the throttle tells nothing either. Only an
        // account without a second factor locks (per address): with one, the password alone opens nothing.
        var account = ThrottleAccount(tenantId, request.Email);
        await using var attempt = await throttle.BeginAsync(
            throttle.AccountFromSource(account, locks: user?.TwoFactorEnabled != true), throttle.Account(account), throttle.FromSource());

        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(null!, DummyHash, request.Password);
            await FailAsync(tenantId, null, request.Email, "invalid_credentials", attempt, cancellationToken);
            throw InvalidCredentials();
        }
        if (!await users.CheckPasswordAsync(user, request.Password))
        {
            await FailAsync(tenantId, user.Id, request.Email, "invalid_credentials", attempt, cancellationToken);
            throw InvalidCredentials();
        }
        if (!user.IsActive)
        {
            await FailAsync(tenantId, user.Id, request.Email, "account_disabled", null, cancellationToken);
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
                await FailAsync(tenantId, user.Id, request.Email, "invalid_mfa_code", attempt, cancellationToken);
                throw new UnauthorizedException("The authenticator or recovery code is not correct.", "invalid_mfa_code");
            }
            mfa = true;
        }

        await attempt.SucceededAsync();
        log.Add(AuthEventLog.LoggedIn, tenantId, user.Id, user.Email, new { mfa });
        metrics.Login(tenantId, "success");
        var tokens = await sessions.StartAsync(user, mfa, [new UserLoggedIn(tenantId, user.Id, now)], cancellationToken);
        // Not through the tracked user: its concurrency stamp would make two simultaneous sign-ins of
        // one user conflict over a column that only records the latest.
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(set => set.SetProperty(u => u.LastLogin, now), cancellationToken);
        return tokens;
    }

    /// <summary>The throttle's name for an account: the tenant and the email as typed, known or not.</summary>
    public static string ThrottleAccount(string tenantId, string email) => $"{tenantId}|{email.Trim().ToLowerInvariant()}";

    /// <summary>
    /// Records a failure; a wrong password or code also counts in the throttle, which may now lock this address
    /// out of the account (its own event).
    /// </summary>
    private async Task FailAsync(string tenantId, Guid? userId, string email, string reason, ThrottledAttempt? attempt, CancellationToken cancellationToken)
    {
        var events = new List<IIntegrationEvent>();
        if (attempt is not null && await attempt.FailedAsync())
        {
            var until = clock.GetUtcNow() + lockout.Value.Lockout.Duration;
            log.Add(AuthEventLog.LockedOut, tenantId, userId, email, new { until, source = throttle.Source });
            if (userId is { } id)
            {
                events.Add(new UserLockedOut(tenantId, id, until));
            }
            metrics.Lockout(tenantId);
        }
        log.Add(AuthEventLog.LoginFailed, tenantId, userId, email, new { reason });
        metrics.Login(tenantId, reason);
        events.Add(new UserLoginFailed(tenantId, email, reason, clock.GetUtcNow()));
        await outbox.SaveChangesAsync(events, cancellationToken);
    }

    private static UnauthorizedException InvalidCredentials() =>
        new("The email, password or tenant is not correct.", "invalid_credentials");
}
