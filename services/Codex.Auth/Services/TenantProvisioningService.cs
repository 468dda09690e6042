using Codex.Auth.Contracts;
using Codex.Auth.Infrastructure;
using Codex.Auth.Model;
using Codex.Security.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Codex.Auth.Services;

/// <summary>
/// Platform's provisioning of a tenant in Auth: the tenant replica, the first admin, and the tenant's
/// first API key. Each call is safe to repeat: the replica is upserted, an existing admin is kept, and
/// issuing the provisioned key again revokes the previous one (its text may have been lost in transit).
/// </summary>
public sealed class TenantProvisioningService(
    AuthDbContext db, UserManager<User> users, UserAdminService userAdmin, ApiKeyService keys, TenantContext tenant, TimeProvider clock)
{
    public const string ProvisionedKeyName = "provisioned";

    public async Task<ProvisionedAdmin> ProvisionAsync(string tenantId, ProvisionTenantRequest request, CancellationToken cancellationToken)
    {
        tenant.Set(tenantId);
        // One transaction: a weak password (400) leaves no replica behind; the outbox joins it.
        return await db.InTransactionAsync(async ct =>
        {
            var replica = await db.Tenants.FindAsync([tenantId], ct);
            if (replica is null)
            {
                db.Tenants.Add(new Tenant { Id = tenantId, Name = request.Name, Plan = request.Plan, UpdatedAt = clock.GetUtcNow() });
                await db.SaveChangesAsync(ct);
            }
            var admin = await users.FindByEmailAsync(request.AdminEmail);
            var created = admin is null;
            var adminId = admin?.Id
                ?? (await userAdmin.CreateAsync(new CreateUserRequest(request.AdminEmail, request.AdminPassword, [SystemRoles.Admin]), ct)).Id;
            return new ProvisionedAdmin(adminId, request.AdminEmail, created, Invited: created && request.AdminPassword is not { Length: > 0 });
        }, cancellationToken);
    }

    /// <summary>A new provisioned key for the tenant, revoking any earlier one.</summary>
    public async Task<CreatedApiKey> IssueKeyAsync(string tenantId, CancellationToken cancellationToken)
    {
        tenant.Set(tenantId);
        if (await db.Tenants.AsNoTracking().AnyAsync(t => t.Id == tenantId, cancellationToken) is false)
        {
            throw new NotFoundException($"Tenant '{tenantId}' is not provisioned in Auth.");
        }
        var earlier = await db.ApiKeys.Where(k => k.Name == ProvisionedKeyName && k.RevokedAt == null).Select(k => k.Id).ToListAsync(cancellationToken);
        foreach (var id in earlier)
        {
            await keys.RevokeAsync(id, cancellationToken);
        }
        return await keys.CreateTrustedAsync(ProvisionedKeyName, SystemRoles.All.Single(r => r.Name == SystemRoles.Admin).Permissions, cancellationToken);
    }
}
