using Codex.Auth.Contracts;
using Codex.Auth.Identity;
using Codex.Auth.Model;
using Codex.Contracts;
using Codex.Messaging.Outbox;
using Microsoft.AspNetCore.Identity;
using QRCoder;

namespace Codex.Auth.Services;

/// <summary>TOTP enrolment (secret, otpauth URI, QR image), confirmation, recovery codes, and removal.</summary>
public sealed class MfaService(UserManager<User> users, AccountService accounts, AttemptThrottle throttle, AuthEventLog log, IEventOutbox outbox, TimeProvider clock)
{
    public const string Issuer = "Codex";
    public const int RecoveryCodeCount = 10;

    /// <summary>A fresh secret; two-factor sign-in starts only once a code from it is confirmed.</summary>
    public async Task<TotpEnrollmentResponse> EnrolAsync(CancellationToken cancellationToken)
    {
        var user = await accounts.CurrentUserAsync();
        if (user.TwoFactorEnabled)
        {
            throw new ConflictException("Two-factor sign-in is already on; disable it first to enrol a new authenticator.", "mfa_already_enabled");
        }
        (await users.ResetAuthenticatorKeyAsync(user)).ThrowIfFailed("mfa");
        var secret = await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("No authenticator key was stored.");
        user.LastTotpStep = null;
        await outbox.SaveChangesAsync([], cancellationToken);

        var label = Uri.EscapeDataString($"{Issuer} ({user.TenantId}):{user.Email}");
        var uri = $"otpauth://totp/{label}?secret={secret}&issuer={Uri.EscapeDataString(Issuer)}&algorithm=SHA1&digits={TotpTokenProvider.Digits}&period={TotpTokenProvider.StepSeconds}";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(6);
        return new TotpEnrollmentResponse(secret, uri, "data:image/png;base64," + Convert.ToBase64String(png));
    }

    /// <summary>Confirms the authenticator with one code; turns two-factor on and answers recovery codes once.</summary>
    public async Task<RecoveryCodesResponse> ConfirmAsync(MfaCodeRequest request, CancellationToken cancellationToken)
    {
        var user = await accounts.CurrentUserAsync();
        if (user.TwoFactorEnabled)
        {
            throw new ConflictException("Two-factor sign-in is already on.", "mfa_already_enabled");
        }
        if (await users.GetAuthenticatorKeyAsync(user) is null)
        {
            throw new ConflictException("Enrol an authenticator first.", "mfa_not_enrolled");
        }
        await using var attempt = await BeginCodeAttemptAsync(user);
        if (!await users.VerifyTwoFactorTokenAsync(user, TotpTokenProvider.Name, request.Code.Replace(" ", "", StringComparison.Ordinal)))
        {
            await attempt.FailedAsync();
            throw new ValidationException("code", "The code is not correct.");
        }
        await attempt.SucceededAsync();
        (await users.SetTwoFactorEnabledAsync(user, true)).ThrowIfFailed("code");
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
        user.UpdatedAt = clock.GetUtcNow();
        log.Add(AuthEventLog.MfaEnabled, user.TenantId, user.Id, user.Email);
        await outbox.SaveChangesAsync([new UserMfaEnabled(user.TenantId, user.Id)], cancellationToken);
        return new RecoveryCodesResponse(codes);
    }

    /// <summary>New recovery codes (the old ones stop working); needs a current authenticator code.</summary>
    public async Task<RecoveryCodesResponse> RegenerateRecoveryCodesAsync(MfaCodeRequest request, CancellationToken cancellationToken)
    {
        var user = await RequireCodeAsync(request);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
        await outbox.SaveChangesAsync([], cancellationToken);
        return new RecoveryCodesResponse(codes);
    }

    /// <summary>Turns two-factor off; needs an authenticator or recovery code.</summary>
    public async Task DisableAsync(MfaCodeRequest request, CancellationToken cancellationToken)
    {
        var user = await RequireCodeAsync(request);
        (await users.SetTwoFactorEnabledAsync(user, false)).ThrowIfFailed("code");
        (await users.ResetAuthenticatorKeyAsync(user)).ThrowIfFailed("code");
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        user.UpdatedAt = clock.GetUtcNow();
        log.Add(AuthEventLog.MfaDisabled, user.TenantId, user.Id, user.Email);
        await outbox.SaveChangesAsync([new UserMfaDisabled(user.TenantId, user.Id)], cancellationToken);
    }

    private async Task<User> RequireCodeAsync(MfaCodeRequest request)
    {
        var user = await accounts.CurrentUserAsync();
        if (!user.TwoFactorEnabled)
        {
            throw new ConflictException("Two-factor sign-in is not on.", "mfa_not_enabled");
        }
        await using var attempt = await BeginCodeAttemptAsync(user);
        if (!await users.VerifyAsync(user, request.Code))
        {
            await attempt.FailedAsync();
            throw new ValidationException("code", "The code is not correct.");
        }
        await attempt.SucceededAsync();
        return user;
    }

    // Six digits are guessable: each wrong code counts for the account and for the account from this address.
    private Task<ThrottledAttempt> BeginCodeAttemptAsync(User user) =>
        throttle.BeginAsync(throttle.AccountFromSource($"mfa:{user.Id}"), throttle.Account($"mfa:{user.Id}"));
}
