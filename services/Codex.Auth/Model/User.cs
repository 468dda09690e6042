using Microsoft.AspNetCore.Identity;

namespace Codex.Auth.Model;

/// <summary>
/// A person who signs in: Identity's user (hash, lockout, security stamp) plus the seed schema's
/// tenant, role and activity columns. An email is unique within a tenant, not across tenants.
/// </summary>
public sealed class User : IdentityUser<Guid>
{
    public required string TenantId { get; set; }

    /// <summary>The base system role (superadmin, admin, user, readonly); more come from user_roles.</summary>
    public required string Role { get; set; }

    public bool IsActive { get; set; } = true;
    public DateTimeOffset? LastLogin { get; set; }

    /// <summary>The last TOTP time step accepted, so a code cannot be replayed within its window.</summary>
    public long? LastTotpStep { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
