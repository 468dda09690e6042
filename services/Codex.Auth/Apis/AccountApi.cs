using Codex.Auth.Contracts;
using Codex.Auth.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Auth.Apis;

/// <summary>Passwords, email verification and the second factor.</summary>
public static class AccountApi
{
    public static RouteGroupBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/auth").WithTags("Account");
        api.MapPost("/password/change", ChangePassword).RequireAuthorization().WithName("ChangePassword").WithSummary("Change your password.");
        api.MapPost("/password/forgot", ForgotPassword).AllowAnonymous().WithName("ForgotPassword").WithSummary("Send a reset token (answers 202 whether or not the email exists).");
        api.MapPost("/password/reset", ResetPassword).AllowAnonymous().WithName("ResetPassword").WithSummary("Set a new password with a reset or invitation token.");
        api.MapPost("/email/verification", RequestVerification).RequireAuthorization().WithName("RequestEmailVerification").WithSummary("Send a verification token to your address.");
        api.MapPost("/email/verify", VerifyEmail).AllowAnonymous().WithName("VerifyEmail").WithSummary("Confirm an address with its token.");

        var mfa = api.MapGroup("/mfa/totp").RequireAuthorization().WithTags("MFA");
        mfa.MapPost("/enroll", Enrol).WithName("EnrolTotp").WithSummary("Start TOTP enrolment: secret, otpauth URI and QR image.");
        mfa.MapPost("/verify", Confirm).WithName("ConfirmTotp").WithSummary("Confirm with a code; turns two-factor on and answers recovery codes once.");
        mfa.MapPost("/recovery-codes", RegenerateCodes).WithName("RegenerateRecoveryCodes").WithSummary("Replace the recovery codes.");
        mfa.MapPost("/disable", Disable).WithName("DisableTotp").WithSummary("Turn two-factor off with a current code.");
        return api;
    }

    public static async Task<NoContent> ChangePassword(ChangePasswordRequest request, AccountService accounts, CancellationToken cancellationToken)
    {
        await accounts.ChangePasswordAsync(request, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Accepted> ForgotPassword(ForgotPasswordRequest request, AccountService accounts, CancellationToken cancellationToken)
    {
        await accounts.ForgotPasswordAsync(request, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<NoContent> ResetPassword(ResetPasswordRequest request, AccountService accounts, CancellationToken cancellationToken)
    {
        await accounts.ResetPasswordAsync(request, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Accepted> RequestVerification(AccountService accounts, CancellationToken cancellationToken)
    {
        await accounts.RequestEmailVerificationAsync(cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<NoContent> VerifyEmail(VerifyEmailRequest request, AccountService accounts, CancellationToken cancellationToken)
    {
        await accounts.VerifyEmailAsync(request, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<TotpEnrollmentResponse>> Enrol(MfaService mfa, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mfa.EnrolAsync(cancellationToken));

    public static async Task<Ok<RecoveryCodesResponse>> Confirm(MfaCodeRequest request, MfaService mfa, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mfa.ConfirmAsync(request, cancellationToken));

    public static async Task<Ok<RecoveryCodesResponse>> RegenerateCodes(MfaCodeRequest request, MfaService mfa, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mfa.RegenerateRecoveryCodesAsync(request, cancellationToken));

    public static async Task<NoContent> Disable(MfaCodeRequest request, MfaService mfa, CancellationToken cancellationToken)
    {
        await mfa.DisableAsync(request, cancellationToken);
        return TypedResults.NoContent();
    }
}
