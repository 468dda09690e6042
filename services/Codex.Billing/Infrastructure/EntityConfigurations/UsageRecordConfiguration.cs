using Codex.Billing.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Codex.Billing.Infrastructure.EntityConfigurations;

public sealed class UsageRecordConfiguration : IEntityTypeConfiguration<UsageRecord>
{
    public void Configure(EntityTypeBuilder<UsageRecord> usage)
    {
        usage.ToTable("usage_records");
        usage.HasKey(u => u.Id);
        usage.Property(u => u.TenantId).HasMaxLength(64);
        usage.Property(u => u.TransactionId).HasMaxLength(100);
        usage.Property(u => u.Metric).HasMaxLength(64);
        usage.Property(u => u.Value).HasPrecision(28, 8);
        usage.Property(u => u.UniqueKey).HasMaxLength(200);
        usage.Property(u => u.Properties).HasColumnType("jsonb");
        usage.HasOne<Subscription>().WithMany().HasForeignKey(u => u.SubscriptionId);
        // Idempotency: a transaction id counts once per tenant, however often it is sent.
        usage.HasIndex(u => new { u.TenantId, u.TransactionId }).IsUnique();
        usage.HasIndex(u => new { u.SubscriptionId, u.Metric, u.OccurredAt });
    }
}
