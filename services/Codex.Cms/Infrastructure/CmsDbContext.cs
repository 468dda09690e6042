using Codex.Cms.Model;
using Codex.Messaging;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Cms.Infrastructure;

/// <summary>
/// cmsdb. Every set is filtered by the scope's tenant (a query without a tenant matches nothing); behind the
/// filter, PostgreSQL's row-level security shows and takes only the scope's tenant's rows.
/// </summary>
/// <remarks>Migrations: <c>eng/ef.sh migrations add &lt;Name&gt; services/Codex.Cms</c>.</remarks>
public sealed class CmsDbContext(DbContextOptions<CmsDbContext> options) : DbContext(options), IScopedDbContext, ITenantRowSecurity
{
    private TenantContext? _tenant;
    private RowSecurityScope _rowSecurity = new();

    public DbSet<ContentType> ContentTypes => Set<ContentType>();
    public DbSet<ContentItem> ContentItems => Set<ContentItem>();
    public DbSet<ContentRevision> Revisions => Set<ContentRevision>();
    public DbSet<Page> Pages => Set<Page>();
    public DbSet<ContentLocale> Locales => Set<ContentLocale>();
    public DbSet<MediaAsset> Media => Set<MediaAsset>();
    public DbSet<MediaSettings> MediaSettings => Set<MediaSettings>();

    private string? CurrentTenant => _tenant?.TenantId;

    public string? RowSecurityTenant => _rowSecurity.TenantFor(CurrentTenant);

    public void AttachScope(IServiceProvider services)
    {
        _tenant = services.GetService(typeof(TenantContext)) as TenantContext;
        _rowSecurity = new();   // a pooled context starts every lease inside its tenant
    }

    /// <summary>Until disposed, commands reach every tenant's items (the one table whose policy allows it): the scheduler's look for due work.</summary>
    public IDisposable AcrossTenants() => _rowSecurity.Open();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.ApplyConfigurationsFromAssembly(typeof(CmsDbContext).Assembly);

        builder.Entity<ContentType>().HasQueryFilter(t => t.TenantId == CurrentTenant);
        builder.Entity<ContentItem>().HasQueryFilter(i => i.TenantId == CurrentTenant);
        builder.Entity<ContentRevision>().HasQueryFilter(r => r.TenantId == CurrentTenant);
        builder.Entity<Page>().HasQueryFilter(p => p.TenantId == CurrentTenant);
        builder.Entity<ContentLocale>().HasQueryFilter(l => l.TenantId == CurrentTenant);
        builder.Entity<MediaAsset>().HasQueryFilter(m => m.TenantId == CurrentTenant);
        builder.Entity<MediaSettings>().HasQueryFilter(m => m.TenantId == CurrentTenant);

        builder.AddEventBusTables();
    }
}
