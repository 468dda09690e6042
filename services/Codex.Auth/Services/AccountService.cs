using Codex.Auth.Contracts;
using Codex.Auth.Infrastructure;
using Codex.Auth.Model;
using Codex.Auth.Tokens;
using Codex.Contracts;
using Codex.Messaging.Outbox;
using Codex.Security;
using Codex.Security.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Codex.Auth.Services;

/// <summary>Password change, forgotten password, reset, and email verification.</summary>
public sealed class AccountService(
    UserManager<User> users, SessionService sessions, TenantGuard tenants, TenantContext tenant, AttemptThrottle throttle, AuthEventLog log,
    IEventOutbox outbox, IOptions<AuthServiceOptions> options, TimeProvider clock, AuthDbContext db)
{
    public async Task<User> CurrentUserAsync()
    {
        var id = tenant.UserId ?? throw new UnauthorizedException("Sign in first.");
        return await users.FindByIdAsync(id.ToString()) ?? throw new UnauthorizedException("The account no longer exists.");
    }

    /// <summary>Changes the password; other sessions end, this one stays.</summary>
    public async Task ChangePasswordAsync(ChangePasswordRequest request, CancellationToken cancellationToken)
    {
        var user = await CurrentUserAsync();
        var result = await users.ChangePasswordAsync(user, request.CurrentPassword, request.NewPassword);
        if (!result.Succeeded && result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
        {
            throw new ValidationException("currentPassword", "The current password is not correct.");
        }
        result.ThrowIfFailed("newPassword");
        Touch(user);
        log.Add(AuthEventLog.PasswordChanged, user.TenantId, user.Id, user.Email);
        await outbox.SaveChangesAsync([new UserPasswordChanged(user.TenantId, user.Id)], cancellationToken);
        // Whoever holds the old password may hold a session too: the caller's own stays.
        await sessions.RevokeAllAsync(user.Id, "password_changed", cancellationToken, keep: tenant.SessionId);
    }

    /// <summary>
    /// Publishes a reset token for Notifications to deliver. Says nothing about whether the email exists: the
    /// same answer, the same throttle, a write either way (an unknown address is logged), and no answer before
    /// <see cref="AuthServiceOptions.ForgotPasswordMinimumTime"/>, so the time tells nothing either (making a
    /// token and its event takes measurably longer than logging a refusal).
    /// </summary>
    public async Task ForgotPasswordAsync(ForgotPasswordRequest request, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        try
        {
            await RequestResetAsync(request, cancellationToken);
        }
        finally
        {
            var left = options.Value.ForgotPasswordMinimumTime - clock.GetElapsedTime(started);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, clock, CancellationToken.None);
            }
        }
    }

    private async Task RequestResetAsync(ForgotPasswordRequest request, CancellationToken cancellationToken)
    {
        var tenantId = TenantOf(request.Tenant);
        await tenants.EnsureActiveAsync(tenantId, cancellationToken);
        tenant.Set(tenantId);
        // Every request counts (each may send mail), for the account and for the address.
        await using var attempt = await throttle.BeginAsync(throttle.ResetRequests(SignInService.ThrottleAccount(tenantId, request.Email)), throttle.FromSource());
        await attempt.FailedAsync();
        var user = await users.FindByEmailAsync(request.Email);
        if (user is null || !user.IsActive)
        {
            log.Add(AuthEventLog.PasswordResetRefused, tenantId, user?.Id, request.Email);
            await outbox.SaveChangesAsync([], cancellationToken);
            return;
        }
        var token = await users.GeneratePasswordResetTokenAsync(user);
        log.Add(AuthEventLog.PasswordResetRequested, tenantId, user.Id, user.Email);
        await outbox.SaveChangesAsync(
            [new PasswordResetRequested(tenantId, user.Id, user.Email!, token, clock.GetUtcNow() + options.Value.EmailTokenLifetime)],
            cancellationToken);
    }

    /// <summary>Sets a new password with a reset or invitation token; every session ends.</summary>
    public async Task ResetPasswordAsync(ResetPasswordRequest request, CancellationToken cancellationToken)
    {
        var tenantId = TenantOf(request.Tenant);
        await tenants.EnsureActiveAsync(tenantId, cancellationToken);
        tenant.Set(tenantId);
        await using var attempt = await throttle.BeginAsync(throttle.FromSource());
        var user = await users.FindByEmailAsync(request.Email);
        if (user is null)
        {
            await attempt.FailedAsync();
            throw InvalidResetToken();
        }
        var result = await users.ResetPasswordAsync(user, request.Token, request.NewPassword);
        if (!result.Succeeded && result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken)))
        {
            await attempt.FailedAsync();
            throw InvalidResetToken();
        }
        result.ThrowIfFailed("newPassword");
        // The token reached the user's inbox, which proves the address.
        user.EmailConfirmed = true;
        await users.SetLockoutEndDateAsync(user, null);
        Touch(user);
        log.Add(AuthEventLog.PasswordReset, tenantId, user.Id, user.Email);
        await outbox.SaveChangesAsync([new UserPasswordReset(tenantId, user.Id)], cancellationToken);
        await sessions.RevokeAllAsync(user.Id, "password_reset", cancellationToken);
    }

    /// <summary>Publishes a verification token for the signed-in user's address.</summary>
    public async Task RequestEmailVerificationAsync(CancellationToken cancellationToken)
    {
        var user = await CurrentUserAsync();
        if (user.EmailConfirmed)
        {
            throw new ConflictException("The email address is already verified.", "already_verified");
        }
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        await outbox.SaveChangesAsync([new EmailVerificationRequested(user.TenantId, user.Id, user.Email!, token)], cancellationToken);
    }

    public async Task VerifyEmailAsync(VerifyEmailRequest request, CancellationToken cancellationToken)
    {
        // The token is bound to the user id by Data Protection, so the id alone may pick the tenant.
        string? owner;
        using (db.AcrossTenants())
        {
            owner = await users.Users.IgnoreQueryFilters().Where(u => u.Id == request.UserId).Select(u => u.TenantId).FirstOrDefaultAsync(cancellationToken);
        }
        var tenantId = owner ?? throw new ValidationException("token", "The verification token is not valid.");
        tenant.Set(tenantId);
        var user = await users.FindByIdAsync(request.UserId.ToString())
            ?? throw new ValidationException("token", "The verification token is not valid.");
        var result = await users.ConfirmEmailAsync(user, request.Token);
        if (!result.Succeeded)
        {
            throw new ValidationException("token", "The verification token is not valid or has expired.");
        }
        Touch(user);
        log.Add(AuthEventLog.EmailVerified, tenantId, user.Id, user.Email);
        await outbox.SaveChangesAsync([new UserEmailVerified(tenantId, user.Id)], cancellationToken);
    }

    private string TenantOf(string? named) => named is { Length: > 0 } ? named : tenant.TenantId ?? CodexClaims.PlatformTenant;

    private void Touch(User user) => user.UpdatedAt = clock.GetUtcNow();

    // One answer for an unknown email and a wrong token: the reset form must not tell who has an account.
    private static ValidationException InvalidResetToken() => new("token", "The reset token is not valid or has expired.");
}
