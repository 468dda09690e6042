using System.ComponentModel.DataAnnotations;

namespace Codex.Auth.Contracts;

/// <summary><c>POST /api/v1/auth/users</c>: without a password the user is invited instead.</summary>
public sealed record CreateUserRequest(
    [property: Required, EmailAddress, StringLength(256)] string Email,
    [property: StringLength(256)] string? Password = null,
    [property: MaxLength(20)] IReadOnlyList<string>? Roles = null);

public sealed record UserDto(
    Guid Id, string TenantId, string Email, string Role, IReadOnlyList<string> Roles, bool IsActive, bool EmailVerified,
    bool MfaEnabled, DateTimeOffset? LastLogin, DateTimeOffset? LockedOutUntil, DateTimeOffset CreatedAt);


public sealed record RoleDto(Guid Id, string Name, string? Description, IReadOnlyList<string> Permissions, bool IsSystem);

public sealed record RoleRequest(
    [property: Required, StringLength(64, MinimumLength = 2)] string Name,
    [property: Required, MaxLength(100)] IReadOnlyList<string> Permissions,
    [property: StringLength(500)] string? Description = null);

public sealed record AssignRoleRequest(
    [property: Required, StringLength(64)] string Role,
    DateTimeOffset? ExpiresAt = null);

public sealed record UserRoleDto(string Role, Guid? GrantedBy, DateTimeOffset GrantedAt, DateTimeOffset? ExpiresAt);

public sealed record CreateApiKeyRequest(
    [property: Required, StringLength(100, MinimumLength = 1)] string Name,
    [property: Required, MinLength(1), MaxLength(50)] IReadOnlyList<string> Scopes,
    DateTimeOffset? ExpiresAt = null);

public sealed record ApiKeyDto(
    Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>The one answer that carries the key's secret.</summary>
public sealed record CreatedApiKey(ApiKeyDto ApiKey, string Key);

public sealed record IntrospectRequest([property: Required, StringLength(128)] string Key, [property: StringLength(100)] string? Scope = null);

/// <summary>A tenant's standing for the gateway: whether its users' tokens may pass, and its plan.</summary>
public sealed record TenantStanding(bool Active, string? Reason = null, string? Plan = null);

public sealed record IntrospectResponse(
    bool Active, string? TenantId = null, Guid? KeyId = null, string? Prefix = null, IReadOnlyList<string>? Scopes = null,
    DateTimeOffset? ExpiresAt = null, string? Reason = null, string? Plan = null);

/// <summary>
/// The gateway's token for a key used without a user (its permissions are the key's scopes); none, with the
/// reason, when the key does not pass.
/// </summary>
public sealed record KeyTokenResponse(bool Active, string? AccessToken = null, DateTimeOffset? ExpiresAt = null, string? Reason = null);

/// <summary>A user as other services see it (assignee checks).</summary>
public sealed record TenantUserDto(Guid Id, string Email, bool IsActive);

public sealed record AuthSummary(int Users, int Active, int Verified, DateTimeOffset? LastLogin, int FailedLogins24h);

/// <summary>Platform's provisioning call: the tenant as Auth should know it, and its first admin (no password: invited).</summary>
public sealed record ProvisionTenantRequest(
    [property: Required, StringLength(200, MinimumLength = 1)] string Name,
    [property: Required, EmailAddress, StringLength(256)] string AdminEmail,
    [property: StringLength(256)] string? AdminPassword = null,
    [property: StringLength(50)] string Plan = "free");

public sealed record ProvisionedAdmin(Guid UserId, string Email, bool Created, bool Invited);
