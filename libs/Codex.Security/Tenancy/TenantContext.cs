using System.Security.Claims;

namespace Codex.Security.Tenancy;

/// <summary>
/// The tenant a request (or a message handler) acts for: one per scope. Every tenant-owned query
/// filters by <see cref="TenantId"/>; while it is unset, such queries match nothing.
/// </summary>
public sealed class TenantContext
{
    /// <summary>The tenant acted for, or null when none is known yet.</summary>
    public string? TenantId { get; private set; }

    /// <summary>The authenticated user, when there is one.</summary>
    public Guid? UserId { get; private set; }

    /// <summary>The caller's session (the token's <c>sid</c>), when the token names one.</summary>
    public Guid? SessionId { get; private set; }

    /// <summary>Whether the caller is a platform superadmin.</summary>
    public bool IsSuperadmin { get; private set; }

    /// <summary>Acts for <paramref name="tenantId"/> (a message's tenant, a login's named tenant).</summary>
    public void Set(string tenantId) => TenantId = tenantId;

    /// <summary>Takes tenant, user and role from an authenticated principal.</summary>
    public void SetFrom(ClaimsPrincipal user)
    {
        TenantId = user.FindFirst(CodexClaims.Tenant)?.Value;
        UserId = Guid.TryParse(user.FindFirst(CodexClaims.Subject)?.Value, out var id) ? id : null;
        SessionId = Guid.TryParse(user.FindFirst(CodexClaims.Session)?.Value, out var session) ? session : null;
        IsSuperadmin = user.HasClaim(CodexClaims.Role, CodexClaims.SuperadminRole);
    }

    /// <summary>The tenant, or a 401 when the scope has none.</summary>
    public string RequiredTenantId => TenantId ?? throw new UnauthorizedException("No tenant is known for this request.", "tenant_required");
}
