using Codex.Auth.Contracts;
using Codex.Auth.Infrastructure;
using Codex.Auth.Model;
using Codex.Security;
using Microsoft.EntityFrameworkCore;

namespace Codex.Auth.Services;

/// <summary>Whether a tenant may sign in or use keys: known to the replica, not suspended or deleted.</summary>
public sealed class TenantGuard(AuthDbContext db)
{
    /// <summary>Throws 401 for an unknown or deleted tenant and 403 for a suspended one.</summary>
    public async Task EnsureActiveAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (tenantId == CodexClaims.PlatformTenant)
        {
            return;
        }
        var status = await StatusAsync(tenantId, cancellationToken);
        if (status is null or TenantStatus.Deleted)
        {
            throw new UnauthorizedException("The email, password or tenant is not correct.", "invalid_credentials");
        }
        if (status == TenantStatus.Suspended)
        {
            throw new ForbiddenException($"Tenant '{tenantId}' is suspended.", "tenant_suspended");
        }
    }

    /// <summary>
    /// What the gateway asks for a bearer without an API key (the console's users): may the tenant's
    /// users call the API, and on which plan. The platform tenant (superadmins) always may.
    /// </summary>
    public async Task<TenantStanding> StandingAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (tenantId == CodexClaims.PlatformTenant)
        {
            return new TenantStanding(true);
        }
        var owner = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId)
            .Select(t => new { t.Status, t.Plan }).FirstOrDefaultAsync(cancellationToken);
        return owner?.Status switch
        {
            TenantStatus.Active => new TenantStanding(true, Plan: owner.Plan),
            TenantStatus.Suspended => new TenantStanding(false, "tenant_suspended", owner.Plan),
            _ => new TenantStanding(false, "tenant_unknown"),
        };
    }

    public async Task<TenantStatus?> StatusAsync(string tenantId, CancellationToken cancellationToken) =>
        await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => (TenantStatus?)t.Status).FirstOrDefaultAsync(cancellationToken);
}
