using Codex.Auth.Model;
using Codex.Auth.Services;
using Codex.Auth.Tokens;
using Codex.Security;
using Codex.Security.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Codex.Auth.Infrastructure;

/// <summary>
/// The <c>migrate</c> step: apply migrations, then seed what must exist, idempotently: the system
/// roles, a signing key, and the first superadmin from <c>CODEX_ADMIN_EMAIL</c>/<c>CODEX_ADMIN_PASSWORD</c>.
/// </summary>
public static class AuthDatabase
{
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await services.PrepareDatabaseAsync(ResourceNames.Databases.Auth, cancellationToken);
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            await db.Database.MigrateAsync(cancellationToken);
            await services.GrantDatabaseAsync(ResourceNames.Databases.Auth, cancellationToken);
            await SeedSystemRolesAsync(db, services.GetRequiredService<TimeProvider>(), cancellationToken);
        }
        await services.GetRequiredService<SigningKeyStore>().EnsureCurrentAsync(forceRotation: false, cancellationToken);
        await SeedSuperadminAsync(services, cancellationToken);
    }

    private static async Task SeedSystemRolesAsync(AuthDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var existing = await db.Roles.IgnoreQueryFilters().Where(r => r.TenantId == null).ToListAsync(cancellationToken);
        foreach (var (name, description, permissions) in SystemRoles.All)
        {
            var role = existing.FirstOrDefault(r => r.Name == name);
            if (role is null)
            {
                role = new Role { Id = Guid.CreateVersion7(), Name = name, IsSystem = true, CreatedAt = now };
                db.Roles.Add(role);
            }
            role.Description = description;
            role.Permissions = [.. permissions];
            role.UpdatedAt = now;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task SeedSuperadminAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var admin = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AdminOptions>>().Value;
        if (string.IsNullOrEmpty(admin.Email) || string.IsNullOrEmpty(admin.Password))
        {
            return;
        }
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(CodexClaims.PlatformTenant);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        if (await users.FindByEmailAsync(admin.Email) is not null)
        {
            return;
        }
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var user = new User
        {
            Id = Guid.CreateVersion7(), TenantId = CodexClaims.PlatformTenant, Email = admin.Email, UserName = admin.Email,
            Role = SystemRoles.Superadmin, EmailConfirmed = true, LockoutEnabled = true, CreatedAt = now, UpdatedAt = now,
        };
        (await users.CreateAsync(user, admin.Password)).ThrowIfFailed("CODEX_ADMIN_PASSWORD");
        await scope.ServiceProvider.GetRequiredService<AuthDbContext>().SaveChangesAsync(cancellationToken);
    }
}

/// <summary>The first superadmin (<c>CODEX_ADMIN_EMAIL</c>, <c>CODEX_ADMIN_PASSWORD</c>).</summary>
public sealed class AdminOptions
{
    public string? Email { get; set; }
    public string? Password { get; set; }
}
