namespace Codex.Auth.Model;

/// <summary>
/// A named set of permission strings. System roles (superadmin, admin, user, readonly) have no
/// tenant and exist once; tenant roles belong to one tenant.
/// </summary>
public sealed class Role
{
    public Guid Id { get; set; }
    public string? TenantId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public List<string> Permissions { get; set; } = [];
    public bool IsSystem { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A role granted to a user, possibly until a time; an expired grant no longer counts.</summary>
public sealed class UserRole
{
    public Guid UserId { get; set; }
    public Guid RoleId { get; set; }
    public required string TenantId { get; set; }
    public Guid? GrantedBy { get; set; }
    public DateTimeOffset GrantedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public Role? Role { get; set; }
}
