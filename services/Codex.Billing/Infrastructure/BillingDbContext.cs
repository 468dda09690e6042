using Codex.Billing.Model;
using Codex.Messaging;
using Codex.Security.Tenancy;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Codex.Billing.Infrastructure;

/// <summary>
/// billingdb. Every set is filtered by the scope's tenant (a query without a tenant matches nothing); behind the filter,
/// PostgreSQL's row-level security shows and takes only the scope's tenant's rows (<see cref="TenantRowSecurity"/>).
/// </summary>
/// <remarks>Migrations: <c>eng/ef.sh migrations add &lt;Name&gt; services/Codex.Billing</c>.</remarks>
public sealed class BillingDbContext(DbContextOptions<BillingDbContext> options) : DbContext(options), IScopedDbContext, ITenantRowSecurity, IDataProtectionKeyContext
{
    public const string TenantFilter = "tenant";

    private TenantContext? _tenant;
    private RowSecurityScope _rowSecurity = new();

    public DbSet<BillableMetric> Metrics => Set<BillableMetric>();
    public DbSet<Plan> Plans => Set<Plan>();
    public DbSet<PlanVersion> PlanVersions => Set<PlanVersion>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<SubscriptionChange> SubscriptionChanges => Set<SubscriptionChange>();
    public DbSet<CreditNote> CreditNotes => Set<CreditNote>();
    public DbSet<UsageRecord> UsageRecords => Set<UsageRecord>();
    public DbSet<BillingSettings> Settings => Set<BillingSettings>();
    public DbSet<InvoiceSequence> InvoiceSequences => Set<InvoiceSequence>();
    public DbSet<Invoice> Invoices => Set<Invoice>();
    public DbSet<InvoiceLine> InvoiceLines => Set<InvoiceLine>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    /// <summary>The keys that protect webhook secrets at rest (shared by every replica).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    private string? CurrentTenant => _tenant?.TenantId;

    public string? RowSecurityTenant => _rowSecurity.TenantFor(CurrentTenant);

    public void AttachScope(IServiceProvider services)
    {
        _tenant = services.GetService(typeof(TenantContext)) as TenantContext;
        _rowSecurity = new();   // a pooled context starts every lease inside its tenant
    }

    /// <summary>Until disposed, commands reach every tenant's subscriptions, invoices and webhook deliveries (the tables whose policy allows it): the jobs' look for due work.</summary>
    public IDisposable AcrossTenants() => _rowSecurity.Open();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.ApplyConfigurationsFromAssembly(typeof(BillingDbContext).Assembly);

        builder.Entity<BillableMetric>().HasQueryFilter(TenantFilter, m => m.TenantId == CurrentTenant);
        builder.Entity<Plan>().HasQueryFilter(TenantFilter, p => p.TenantId == CurrentTenant);
        builder.Entity<PlanVersion>().HasQueryFilter(TenantFilter, v => v.TenantId == CurrentTenant);
        builder.Entity<Customer>().HasQueryFilter(TenantFilter, c => c.TenantId == CurrentTenant);
        builder.Entity<Subscription>().HasQueryFilter(TenantFilter, s => s.TenantId == CurrentTenant);
        builder.Entity<SubscriptionChange>().HasQueryFilter(TenantFilter, c => c.TenantId == CurrentTenant);
        builder.Entity<CreditNote>().HasQueryFilter(TenantFilter, c => c.TenantId == CurrentTenant);
        builder.Entity<UsageRecord>().HasQueryFilter(TenantFilter, u => u.TenantId == CurrentTenant);
        builder.Entity<BillingSettings>().HasQueryFilter(TenantFilter, s => s.TenantId == CurrentTenant);
        builder.Entity<InvoiceSequence>().HasQueryFilter(TenantFilter, s => s.TenantId == CurrentTenant);
        builder.Entity<Invoice>().HasQueryFilter(TenantFilter, i => i.TenantId == CurrentTenant);
        builder.Entity<InvoiceLine>().HasQueryFilter(TenantFilter, l => l.TenantId == CurrentTenant);
        builder.Entity<Payment>().HasQueryFilter(TenantFilter, p => p.TenantId == CurrentTenant);
        builder.Entity<WebhookEndpoint>().HasQueryFilter(TenantFilter, e => e.TenantId == CurrentTenant);
        builder.Entity<WebhookDelivery>().HasQueryFilter(TenantFilter, d => d.TenantId == CurrentTenant);

        builder.AddEventBusTables();
    }
}
