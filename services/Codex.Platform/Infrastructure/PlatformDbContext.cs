using Codex.Messaging;
using Codex.Platform.Model;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Codex.Platform.Infrastructure;

/// <summary>
/// cdxdb, the CDX master. Platform reads across tenants by design (it is the superadmin's view), so
/// there is no tenant filter here; every API that reads it is superadmin-only.
/// </summary>
/// <remarks>Migrations: <c>eng/ef.sh migrations add &lt;Name&gt; services/Codex.Platform</c>.</remarks>
public sealed class PlatformDbContext(DbContextOptions<PlatformDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Client> Clients => Set<Client>();
    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<TenantAdmin> Admins => Set<TenantAdmin>();
    public DbSet<ProvisioningStep> ProvisioningSteps => Set<ProvisioningStep>();
    public DbSet<RegisteredService> Services => Set<RegisteredService>();
    public DbSet<ServiceHealthCheck> HealthChecks => Set<ServiceHealthCheck>();
    public DbSet<SystemConfigEntry> SystemConfig => Set<SystemConfigEntry>();
    public DbSet<SummaryFigure> TenantSummaries => Set<SummaryFigure>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<SecurityEvent> SecurityEvents => Set<SecurityEvent>();
    public DbSet<LineageEntry> DataLineage => Set<LineageEntry>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.ApplyConfigurationsFromAssembly(typeof(PlatformDbContext).Assembly);
        // The Data Protection key ring (Microsoft.AspNetCore.DataProtection.EntityFrameworkCore's entity).
        builder.Entity<DataProtectionKey>().Property(k => k.Xml).IsRequired();
        builder.AddEventBusTables();
    }
}
