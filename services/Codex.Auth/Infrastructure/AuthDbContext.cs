using Codex.Auth.Infrastructure.EntityConfigurations;
using Codex.Auth.Model;
using Codex.Messaging;
using Codex.Security.Tenancy;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Codex.Auth.Infrastructure;

/// <summary>
/// authdb. Every tenant-owned set is filtered by the scope's tenant; a query without a tenant matches
/// nothing. Cross-tenant reads (refresh, key introspection, email verification) say so twice: with
/// <c>IgnoreQueryFilters()</c>, and inside <see cref="AcrossTenants"/>, without which PostgreSQL's row-level
/// security still shows the scope's tenant's rows only (<see cref="TenantRowSecurity"/>).
/// </summary>
/// <remarks>Migrations: <c>eng/ef.sh migrations add &lt;Name&gt; services/Codex.Auth</c>.</remarks>
public sealed class AuthDbContext(DbContextOptions<AuthDbContext> options)
    : IdentityUserContext<User, Guid>(options), IScopedDbContext, IDataProtectionKeyContext, ITenantRowSecurity
{
    private TenantContext? _tenant;
    private RowSecurityScope _rowSecurity = new();

    public DbSet<Session> Sessions => Set<Session>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<Role> Roles => Set<Role>();
    public DbSet<UserRole> UserRoles => Set<UserRole>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuthEvent> AuthEvents => Set<AuthEvent>();
    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The tenant every filtered query is limited to (read by EF on each query).</summary>
    private string? CurrentTenant => _tenant?.TenantId;

    public void AttachScope(IServiceProvider services)
    {
        _tenant = services.GetService(typeof(TenantContext)) as TenantContext;
        _rowSecurity = new();   // a pooled context starts every lease inside its tenant
    }

    public string? RowSecurityTenant => _rowSecurity.TenantFor(CurrentTenant);

    /// <summary>Until disposed, this context's commands reach every tenant's rows: for a lookup by a secret that names its tenant.</summary>
    public IDisposable AcrossTenants() => _rowSecurity.Open();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        UserConfiguration.Configure(builder);
        builder.ApplyConfiguration(new SessionConfiguration());
        builder.ApplyConfiguration(new RefreshTokenConfiguration());
        builder.ApplyConfiguration(new RoleConfiguration());
        builder.ApplyConfiguration(new UserRoleConfiguration());
        builder.ApplyConfiguration(new ApiKeyConfiguration());
        builder.ApplyConfiguration(new AuthEventConfiguration());
        builder.ApplyConfiguration(new TenantConfiguration());
        builder.ApplyConfiguration(new SigningKeyConfiguration());
        // The Data Protection key ring (Microsoft.AspNetCore.DataProtection.EntityFrameworkCore's entity).
        builder.Entity<DataProtectionKey>().Property(k => k.Xml).IsRequired();

        builder.Entity<User>().HasQueryFilter(u => u.TenantId == CurrentTenant);
        builder.Entity<Session>().HasQueryFilter(s => s.TenantId == CurrentTenant);
        builder.Entity<RefreshToken>().HasQueryFilter(t => t.TenantId == CurrentTenant);
        builder.Entity<Role>().HasQueryFilter(r => r.TenantId == null || r.TenantId == CurrentTenant);
        builder.Entity<UserRole>().HasQueryFilter(g => g.TenantId == CurrentTenant);
        builder.Entity<ApiKey>().HasQueryFilter(k => k.TenantId == CurrentTenant);
        builder.Entity<AuthEvent>().HasQueryFilter(e => e.TenantId == CurrentTenant);

        builder.AddEventBusTables();
    }
}
