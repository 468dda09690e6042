using System.ComponentModel.DataAnnotations;

namespace Codex.Auth.Contracts;

/// <summary>
/// <c>POST /api/v1/auth/login</c>. A tenant user names the tenant here or through the gateway's API
/// key; a superadmin names none. With MFA enrolled, <c>mfaCode</c> carries the TOTP or a recovery code.
/// </summary>
public sealed record LoginRequest(
    [property: Required, EmailAddress, StringLength(256)] string Email,
    [property: Required, StringLength(256)] string Password,
    [property: StringLength(50)] string? Tenant = null,
    [property: StringLength(32)] string? MfaCode = null);

public sealed record RefreshRequest([property: Required, StringLength(128)] string RefreshToken);

public sealed record TokenResponse(string AccessToken, string RefreshToken, int ExpiresIn, string TokenType = "Bearer");

public sealed record MeResponse(
    Guid Id, string TenantId, string Email, bool EmailVerified, bool MfaEnabled,
    IReadOnlyList<string> Roles, IReadOnlyList<string> Permissions, DateTimeOffset? LastLogin);

public sealed record SessionDto(
    Guid Id, Guid UserId, DateTimeOffset CreatedAt, DateTimeOffset LastRefreshedAt, DateTimeOffset ExpiresAt,
    string? IpAddress, string? UserAgent, bool Mfa, bool Current);
