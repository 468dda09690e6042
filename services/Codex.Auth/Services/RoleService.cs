using Codex.Auth.Contracts;
using Codex.Auth.Infrastructure;
using Codex.Auth.Model;
using Codex.Contracts;
using Codex.Messaging.Outbox;
using Codex.Security;
using Codex.Security.Authorization;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Auth.Services;

/// <summary>Tenant roles (permission sets) and grants of roles to users, optionally until a time.</summary>
public sealed class RoleService(
    AuthDbContext db, TenantContext tenant, AuthEventLog log, IEventOutbox outbox, IHttpContextAccessor http, TimeProvider clock)
{
    public async Task<IReadOnlyList<RoleDto>> ListAsync(CancellationToken cancellationToken) =>
        (await db.Roles.AsNoTracking().OrderBy(r => r.TenantId != null).ThenBy(r => r.Name).ToListAsync(cancellationToken))
        .Where(r => r.Name != SystemRoles.Superadmin || tenant.IsSuperadmin).Select(ToDto).ToList();

    public async Task<RoleDto> CreateAsync(RoleRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        EnsureHeld(request.Permissions);
        var tenantId = tenant.RequiredTenantId;
        if (await db.Roles.AnyAsync(r => r.Name == request.Name, cancellationToken))
        {
            throw new ConflictException($"A role named '{request.Name}' already exists.", "duplicate_role");
        }
        var now = clock.GetUtcNow();
        var role = new Role
        {
            Id = Guid.CreateVersion7(), TenantId = tenantId, Name = request.Name, Description = request.Description,
            Permissions = request.Permissions.Distinct().ToList(), CreatedAt = now, UpdatedAt = now,
        };
        db.Roles.Add(role);
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(role);
    }

    public async Task<RoleDto> UpdateAsync(Guid id, RoleRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        EnsureHeld(request.Permissions);
        var role = await FindTenantRole(id, cancellationToken);
        role.Name = request.Name;
        role.Description = request.Description;
        role.Permissions = request.Permissions.Distinct().ToList();
        role.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(role);
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        db.Roles.Remove(await FindTenantRole(id, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<UserRoleDto>> GrantsAsync(Guid userId, CancellationToken cancellationToken)
    {
        await EnsureUser(userId, cancellationToken);
        return await db.UserRoles.AsNoTracking().Where(g => g.UserId == userId).OrderBy(g => g.GrantedAt)
            .Select(g => new UserRoleDto(g.Role!.Name, g.GrantedBy, g.GrantedAt, g.ExpiresAt)).ToListAsync(cancellationToken);
    }

    /// <summary>Grants a role (replacing an earlier grant's expiry); publishes <c>auth.role.assigned</c>.</summary>
    public async Task<UserRoleDto> AssignAsync(Guid userId, AssignRoleRequest request, CancellationToken cancellationToken)
    {
        var user = await EnsureUser(userId, cancellationToken);
        var now = clock.GetUtcNow();
        if (request.ExpiresAt is { } expires && expires <= now)
        {
            throw new ValidationException("expiresAt", "expiresAt must be in the future.");
        }
        var role = (await ResolveGrantableAsync([request.Role], cancellationToken))[0];
        var grant = await db.UserRoles.FirstOrDefaultAsync(g => g.UserId == userId && g.RoleId == role.Id, cancellationToken);
        if (grant is null)
        {
            grant = new UserRole { UserId = userId, RoleId = role.Id, TenantId = user.TenantId };
            db.UserRoles.Add(grant);
        }
        grant.GrantedBy = tenant.UserId;
        grant.GrantedAt = now;
        grant.ExpiresAt = request.ExpiresAt;
        log.Add(AuthEventLog.RoleAssigned, user.TenantId, userId, user.Email, new { role = role.Name, request.ExpiresAt, by = tenant.UserId });
        await outbox.SaveChangesAsync([new RoleAssigned(user.TenantId, userId, role.Name, tenant.UserId, request.ExpiresAt)], cancellationToken);
        return new UserRoleDto(role.Name, grant.GrantedBy, grant.GrantedAt, grant.ExpiresAt);
    }

    public async Task UnassignAsync(Guid userId, string roleName, CancellationToken cancellationToken)
    {
        var user = await EnsureUser(userId, cancellationToken);
        var grant = await db.UserRoles.Include(g => g.Role).FirstOrDefaultAsync(g => g.UserId == userId && g.Role!.Name == roleName, cancellationToken)
            ?? throw new NotFoundException($"The user has no grant of role '{roleName}'.");
        db.UserRoles.Remove(grant);
        log.Add(AuthEventLog.RoleUnassigned, user.TenantId, userId, user.Email, new { role = roleName, by = tenant.UserId });
        await outbox.SaveChangesAsync([new RoleUnassigned(user.TenantId, userId, roleName)], cancellationToken);
    }

    /// <summary>The roles named, as this caller may grant them: superadmin only on the platform tenant.</summary>
    public async Task<IReadOnlyList<Role>> ResolveGrantableAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var found = await db.Roles.AsNoTracking().Where(r => names.Contains(r.Name)).ToListAsync(cancellationToken);
        var missing = names.Except(found.Select(r => r.Name)).ToList();
        if (missing.Count > 0)
        {
            throw new ValidationException("roles", $"Unknown role(s): {string.Join(", ", missing)}.");
        }
        if (found.Any(r => r.Name == SystemRoles.Superadmin) && tenant.TenantId != CodexClaims.PlatformTenant)
        {
            throw new ValidationException("roles", "The superadmin role exists only on the platform.");
        }
        EnsureHeld(found.SelectMany(r => r.Permissions));
        return found;
    }

    /// <summary>
    /// A user grants only what they hold: a role's permissions, whether written into it or granted with it,
    /// must each be covered by the caller's own (a superadmin holds all). Provisioning, where the caller is
    /// Platform's service identity and not a user, grants the seeded admin role by design.
    /// </summary>
    private void EnsureHeld(IEnumerable<string> permissions)
    {
        if (http.HttpContext?.User is not { } caller || caller.FindFirst(CodexClaims.Tenant) is null)
        {
            return;
        }
        var beyond = permissions.Distinct().Where(p => !Expanded(p).All(each => Permissions.Holds(caller, each))).ToList();
        if (beyond.Count > 0)
        {
            throw new ForbiddenException($"You cannot grant permissions you do not hold: {string.Join(", ", beyond)}.", "permission_not_held");
        }
    }

    // A grant whose service is a wildcard (readonly's *.*.read) is held when it is held for each tenant service,
    // the services the admin role spans: a tenant admin may grant readonly, a CRM-only manager may not.
    private static IEnumerable<string> Expanded(string permission) =>
        permission.StartsWith("*.", StringComparison.Ordinal) ? TenantServices.Select(service => service + permission[1..]) : [permission];

    private static readonly IReadOnlyList<string> TenantServices =
        SystemRoles.All.Single(r => r.Name == SystemRoles.Admin).Permissions.Select(p => p.Split('.')[0]).Distinct().ToList();

    private async Task<Role> FindTenantRole(Guid id, CancellationToken cancellationToken)
    {
        var role = await db.Roles.FirstOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new NotFoundException($"Role {id} was not found.");
        return role.IsSystem || role.TenantId is null
            ? throw new ForbiddenException("System roles cannot be changed.", "system_role")
            : role;
    }

    private async Task<User> EnsureUser(Guid userId, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken)
        ?? throw new NotFoundException($"User {userId} was not found.");

    private static void Validate(RoleRequest request)
    {
        var bad = request.Permissions.Where(p => !Permissions.IsValid(p)).ToList();
        if (bad.Count > 0)
        {
            throw new ValidationException("permissions", $"Not a permission string: {string.Join(", ", bad)} (expected e.g. crm.leads.write).");
        }
        if (SystemRoles.IsSystem(request.Name))
        {
            throw new ValidationException("name", "That name belongs to a system role.");
        }
    }

    private static RoleDto ToDto(Role role) => new(role.Id, role.Name, role.Description, role.Permissions, role.IsSystem);
}
