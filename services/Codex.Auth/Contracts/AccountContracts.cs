using System.ComponentModel.DataAnnotations;

namespace Codex.Auth.Contracts;

public sealed record ChangePasswordRequest(
    [property: Required, StringLength(256)] string CurrentPassword,
    [property: Required, StringLength(256)] string NewPassword);

public sealed record ForgotPasswordRequest(
    [property: Required, EmailAddress, StringLength(256)] string Email,
    [property: StringLength(50)] string? Tenant = null);

/// <summary>Sets a new password with a reset (or invitation) token.</summary>
public sealed record ResetPasswordRequest(
    [property: Required, EmailAddress, StringLength(256)] string Email,
    [property: Required, StringLength(2048)] string Token,
    [property: Required, StringLength(256)] string NewPassword,
    [property: StringLength(50)] string? Tenant = null);

public sealed record VerifyEmailRequest(Guid UserId, [property: Required, StringLength(2048)] string Token);

public sealed record TotpEnrollmentResponse(string Secret, string OtpauthUri, string QrCodePng);

public sealed record MfaCodeRequest([property: Required, StringLength(32)] string Code);

public sealed record RecoveryCodesResponse(IReadOnlyList<string> RecoveryCodes);
