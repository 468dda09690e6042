using Codex.Crm.Infrastructure.EntityConfigurations;
using Codex.Crm.Model;
using Codex.Messaging;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Crm.Infrastructure;

/// <summary>
/// crmdb. Every set is filtered by the scope's tenant (a query without a tenant matches nothing), and
/// customers and leads by "not deleted" as well; restore and the trash lift only that second filter.
/// Behind the filter, PostgreSQL's row-level security shows and takes only the scope's tenant's rows
/// (<see cref="TenantRowSecurity"/>): CRM never reads across tenants.
/// </summary>
/// <remarks>Migrations: <c>eng/ef.sh migrations add &lt;Name&gt; services/Codex.Crm</c>.</remarks>
public sealed class CrmDbContext(DbContextOptions<CrmDbContext> options) : DbContext(options), IScopedDbContext, ITenantRowSecurity
{
    /// <summary>The filter that hides soft-deleted rows; <c>IgnoreQueryFilters([CrmDbContext.LiveFilter])</c> lifts only it.</summary>
    public const string LiveFilter = "live";
    public const string TenantFilter = "tenant";

    private TenantContext? _tenant;

    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Lead> Leads => Set<Lead>();
    public DbSet<LeadStageVisit> StageVisits => Set<LeadStageVisit>();
    public DbSet<Pipeline> Pipelines => Set<Pipeline>();
    public DbSet<Interaction> Interactions => Set<Interaction>();

    private string? CurrentTenant => _tenant?.TenantId;

    public string? RowSecurityTenant => CurrentTenant;

    public void AttachScope(IServiceProvider services) => _tenant = services.GetService(typeof(TenantContext)) as TenantContext;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.HasPostgresExtension("pg_trgm");
        builder.ApplyConfigurationsFromAssembly(typeof(CrmDbContext).Assembly);

        builder.Entity<Customer>().HasQueryFilter(TenantFilter, c => c.TenantId == CurrentTenant).HasQueryFilter(LiveFilter, c => c.DeletedAt == null);
        builder.Entity<Lead>().HasQueryFilter(TenantFilter, l => l.TenantId == CurrentTenant).HasQueryFilter(LiveFilter, l => l.DeletedAt == null);
        builder.Entity<LeadStageVisit>().HasQueryFilter(TenantFilter, v => v.TenantId == CurrentTenant);
        builder.Entity<Pipeline>().HasQueryFilter(TenantFilter, p => p.TenantId == CurrentTenant);
        builder.Entity<Interaction>().HasQueryFilter(TenantFilter, i => i.TenantId == CurrentTenant);

        builder.AddEventBusTables();
    }
}
