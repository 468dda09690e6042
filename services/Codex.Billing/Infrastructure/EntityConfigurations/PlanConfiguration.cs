using Codex.Billing.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Codex.Billing.Infrastructure.EntityConfigurations;

public sealed class PlanConfiguration : IEntityTypeConfiguration<Plan>, IEntityTypeConfiguration<PlanVersion>, IEntityTypeConfiguration<BillableMetric>
{
    public void Configure(EntityTypeBuilder<Plan> plan)
    {
        plan.ToTable("plans");
        plan.HasKey(p => p.Id);
        plan.Property(p => p.TenantId).HasMaxLength(64);
        plan.Property(p => p.Code).HasMaxLength(64);
        plan.HasIndex(p => new { p.TenantId, p.Code }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<PlanVersion> version)
    {
        version.ToTable("plan_versions");
        version.HasKey(v => v.Id);
        version.Property(v => v.TenantId).HasMaxLength(64);
        version.Property(v => v.Name).HasMaxLength(200);
        version.Property(v => v.Description).HasMaxLength(2000);
        version.Property(v => v.Amount).HasPrecision(19, 4);
        version.Property(v => v.Currency).HasMaxLength(3).IsFixedLength();
        version.Property(v => v.Interval).HasMaxLength(10);
        version.Property(v => v.Charges).AsJson();
        version.Property(v => v.Entitlements).AsJson();
        version.Ignore(v => v.MonthlyAmount);
        version.HasOne<Plan>().WithMany().HasForeignKey(v => v.PlanId);
        version.HasIndex(v => new { v.PlanId, v.Version }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<BillableMetric> metric)
    {
        metric.ToTable("billable_metrics");
        metric.HasKey(m => m.Id);
        metric.Property(m => m.TenantId).HasMaxLength(64);
        metric.Property(m => m.Code).HasMaxLength(64);
        metric.Property(m => m.Name).HasMaxLength(200);
        metric.Property(m => m.Aggregation).HasMaxLength(20);
        metric.Property(m => m.Field).HasMaxLength(64);
        metric.HasIndex(m => new { m.TenantId, m.Code }).IsUnique();
    }
}
