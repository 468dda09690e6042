namespace Codex.Web.Api;

public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

public sealed record UserDto(Guid Id, string TenantId, string Email, string Role, IReadOnlyList<string> Roles, bool IsActive,
    bool EmailVerified, bool MfaEnabled, DateTimeOffset? LastLogin, DateTimeOffset? LockedOutUntil, DateTimeOffset CreatedAt);

public sealed record UserRoleDto(string Role, Guid? GrantedBy, DateTimeOffset GrantedAt, DateTimeOffset? ExpiresAt);

public sealed record RoleDto(Guid Id, string Name, string? Description, IReadOnlyList<string> Permissions, bool IsSystem);

public sealed record ApiKeyDto(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

public sealed record CreatedApiKey(ApiKeyDto ApiKey, string Key);

public sealed record SessionDto(Guid Id, Guid UserId, DateTimeOffset CreatedAt, DateTimeOffset LastRefreshedAt, DateTimeOffset ExpiresAt,
    string? IpAddress, string? UserAgent, bool Mfa, bool Current);

/// <summary>Auth's tenant-admin routes, in the signed-in user's own tenant (the gateway takes it from the token).</summary>
public sealed class AuthAdminApi(GatewayApi gateway)
{
    private const string Base = "/api/v1/auth";

    public Task<PagedList<UserDto>> UsersAsync(string? search, int page, int pageSize, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<PagedList<UserDto>>($"{Base}/users?page={page}&pageSize={pageSize}{Query.Optional("search", search)}", cancellationToken);

    public Task<UserDto> UserAsync(Guid id, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<UserDto>($"{Base}/users/{id}", cancellationToken);

    /// <summary>The user's granted roles (not the base role), with when and until when.</summary>
    public Task<List<UserRoleDto>> UserRolesAsync(Guid id, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<List<UserRoleDto>>($"{Base}/users/{id}/roles", cancellationToken);

    public Task<UserDto> CreateUserAsync(string email, string? password, IReadOnlyList<string> roles, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<UserDto>(HttpMethod.Post, $"{Base}/users", new { email, password = string.IsNullOrEmpty(password) ? null : password, roles }, cancellationToken);

    public Task<UserDto> DeactivateAsync(Guid id, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<UserDto>(HttpMethod.Post, $"{Base}/users/{id}/deactivate", null, cancellationToken);

    public Task<UserDto> ReactivateAsync(Guid id, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<UserDto>(HttpMethod.Post, $"{Base}/users/{id}/reactivate", null, cancellationToken);

    public Task<UserRoleDto> AssignRoleAsync(Guid id, string role, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<UserRoleDto>(HttpMethod.Post, $"{Base}/users/{id}/roles", new { role }, cancellationToken);

    public Task UnassignRoleAsync(Guid id, string role, CancellationToken cancellationToken = default) =>
        gateway.SendAsync(HttpMethod.Delete, $"{Base}/users/{id}/roles/{Uri.EscapeDataString(role)}", null, cancellationToken);

    public Task<List<RoleDto>> RolesAsync(CancellationToken cancellationToken = default) =>
        gateway.GetAsync<List<RoleDto>>($"{Base}/roles", cancellationToken);

    public Task<RoleDto> CreateRoleAsync(string name, string? description, IReadOnlyList<string> permissions, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<RoleDto>(HttpMethod.Post, $"{Base}/roles", new { name, description, permissions }, cancellationToken);

    public Task<RoleDto> UpdateRoleAsync(Guid id, string name, string? description, IReadOnlyList<string> permissions, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<RoleDto>(HttpMethod.Put, $"{Base}/roles/{id}", new { name, description, permissions }, cancellationToken);

    public Task DeleteRoleAsync(Guid id, CancellationToken cancellationToken = default) =>
        gateway.SendAsync(HttpMethod.Delete, $"{Base}/roles/{id}", null, cancellationToken);

    public Task<List<ApiKeyDto>> ApiKeysAsync(CancellationToken cancellationToken = default) =>
        gateway.GetAsync<List<ApiKeyDto>>($"{Base}/api-keys", cancellationToken);

    public Task<CreatedApiKey> CreateApiKeyAsync(string name, IReadOnlyList<string> scopes, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<CreatedApiKey>(HttpMethod.Post, $"{Base}/api-keys", new { name, scopes, expiresAt }, cancellationToken);

    public Task RevokeApiKeyAsync(Guid id, CancellationToken cancellationToken = default) =>
        gateway.SendAsync(HttpMethod.Delete, $"{Base}/api-keys/{id}", null, cancellationToken);

    public Task<List<SessionDto>> SessionsAsync(Guid? userId, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<List<SessionDto>>($"{Base}/sessions{(userId is { } id ? $"?userId={id}" : "")}", cancellationToken);

    public Task RevokeSessionAsync(Guid id, CancellationToken cancellationToken = default) =>
        gateway.SendAsync(HttpMethod.Delete, $"{Base}/sessions/{id}", null, cancellationToken);
}

/// <summary>Query-string pieces.</summary>
public static class Query
{
    /// <summary><c>&amp;name=value</c> (escaped), or nothing when the value is empty.</summary>
    public static string Optional(string name, string? value) =>
        string.IsNullOrWhiteSpace(value) ? "" : $"&{name}={Uri.EscapeDataString(value.Trim())}";

    public static string Optional(string name, DateTimeOffset? value) =>
        value is { } at ? $"&{name}={Uri.EscapeDataString(at.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture))}" : "";
}
