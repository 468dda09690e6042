using Codex.Billing.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Codex.Billing.Infrastructure.EntityConfigurations;

public sealed class SubscriptionConfiguration :
    IEntityTypeConfiguration<Subscription>, IEntityTypeConfiguration<SubscriptionChange>, IEntityTypeConfiguration<CreditNote>, IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Subscription> subscription)
    {
        subscription.ToTable("subscriptions");
        subscription.HasKey(s => s.Id);
        subscription.Property(s => s.TenantId).HasMaxLength(64);
        subscription.Property(s => s.Status).HasMaxLength(20);
        subscription.HasOne(s => s.PlanVersion).WithMany().HasForeignKey(s => s.PlanVersionId);
        subscription.HasOne<Plan>().WithMany().HasForeignKey(s => s.PlanId);
        subscription.HasOne<Customer>().WithMany().HasForeignKey(s => s.CustomerId);
        subscription.Ignore(s => s.CurrentPeriod);
        subscription.HasIndex(s => new { s.TenantId, s.CustomerId });
        // The renewal job's scan: live subscriptions by the end of their period.
        subscription.HasIndex(s => s.CurrentPeriodEnd).HasFilter("status <> 'cancelled'");
    }

    public void Configure(EntityTypeBuilder<SubscriptionChange> change)
    {
        change.ToTable("subscription_changes");
        change.HasKey(c => c.Id);
        change.Property(c => c.TenantId).HasMaxLength(64);
        change.Property(c => c.Kind).HasMaxLength(20);
        change.Property(c => c.CreditAmount).HasPrecision(19, 4);
        change.Property(c => c.ChargeAmount).HasPrecision(19, 4);
        change.Property(c => c.Currency).HasMaxLength(3).IsFixedLength();
        change.HasOne<Subscription>().WithMany().HasForeignKey(c => c.SubscriptionId);
        change.HasIndex(c => new { c.TenantId, c.SubscriptionId });
    }

    public void Configure(EntityTypeBuilder<CreditNote> note)
    {
        note.ToTable("credit_notes");
        note.HasKey(n => n.Id);
        note.Property(n => n.TenantId).HasMaxLength(64);
        note.Property(n => n.Reason).HasMaxLength(40);
        note.Property(n => n.Amount).HasPrecision(19, 4);
        note.Property(n => n.Remaining).HasPrecision(19, 4);
        note.Property(n => n.Currency).HasMaxLength(3).IsFixedLength();
        note.HasOne<Subscription>().WithMany().HasForeignKey(n => n.SubscriptionId);
        note.HasIndex(n => new { n.TenantId, n.CustomerId });
    }

    public void Configure(EntityTypeBuilder<Customer> customer)
    {
        customer.ToTable("customers");
        customer.HasKey(c => c.Id);
        customer.Property(c => c.Id).ValueGeneratedNever();
        customer.Property(c => c.TenantId).HasMaxLength(64);
        customer.Property(c => c.Name).HasMaxLength(200);
        customer.Property(c => c.Email).HasMaxLength(320);
        customer.HasIndex(c => c.TenantId);
    }
}
