using Codex.Billing.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Codex.Billing.Infrastructure.EntityConfigurations;

public sealed class InvoiceConfiguration :
    IEntityTypeConfiguration<Invoice>, IEntityTypeConfiguration<InvoiceLine>, IEntityTypeConfiguration<Payment>,
    IEntityTypeConfiguration<BillingSettings>, IEntityTypeConfiguration<InvoiceSequence>
{
    public void Configure(EntityTypeBuilder<Invoice> invoice)
    {
        invoice.ToTable("invoices");
        invoice.HasKey(i => i.Id);
        invoice.Property(i => i.TenantId).HasMaxLength(64);
        invoice.Property(i => i.DisplayNumber).HasMaxLength(40);
        invoice.Property(i => i.Status).HasMaxLength(20);
        invoice.Property(i => i.Currency).HasMaxLength(3).IsFixedLength();
        foreach (var money in new[] { nameof(Invoice.FixedAmount), nameof(Invoice.Subtotal), nameof(Invoice.Discount), nameof(Invoice.Tax), nameof(Invoice.CreditApplied), nameof(Invoice.Total) })
        {
            invoice.Property(money).HasPrecision(19, 4);
        }
        invoice.Property(i => i.TaxRate).HasPrecision(7, 6);
        invoice.HasMany(i => i.Lines).WithOne().HasForeignKey(l => l.InvoiceId);
        invoice.HasOne<Subscription>().WithMany().HasForeignKey(i => i.SubscriptionId);
        // Gapless and unique per tenant: the sequence hands out each number once, the index proves it.
        invoice.HasIndex(i => new { i.TenantId, i.Number }).IsUnique().HasFilter("number IS NOT NULL");
        invoice.HasIndex(i => new { i.TenantId, i.CustomerId });
        invoice.HasIndex(i => i.SubscriptionId);
        // The jobs' scans: drafts due to be finalized, open invoices due a payment attempt.
        invoice.HasIndex(i => i.FinalizeAt).HasFilter("status = 'draft'");
        invoice.HasIndex(i => i.NextPaymentAt).HasFilter("status = 'open'");
    }

    public void Configure(EntityTypeBuilder<InvoiceLine> line)
    {
        line.ToTable("invoice_lines");
        line.HasKey(l => l.Id);
        // Ids are made in code: a line added to a tracked invoice is a new row, not an update of one.
        line.Property(l => l.Id).ValueGeneratedNever();
        line.Property(l => l.TenantId).HasMaxLength(64);
        line.Property(l => l.Kind).HasMaxLength(20);
        line.Property(l => l.Description).HasMaxLength(300);
        line.Property(l => l.Metric).HasMaxLength(64);
        line.Property(l => l.Quantity).HasPrecision(28, 8);
        line.Property(l => l.Amount).HasPrecision(19, 4);
    }

    public void Configure(EntityTypeBuilder<Payment> payment)
    {
        payment.ToTable("payments");
        payment.HasKey(p => p.Id);
        payment.Property(p => p.TenantId).HasMaxLength(64);
        payment.Property(p => p.Status).HasMaxLength(20);
        payment.Property(p => p.Amount).HasPrecision(19, 4);
        payment.Property(p => p.Currency).HasMaxLength(3).IsFixedLength();
        payment.Property(p => p.ProviderReference).HasMaxLength(200);
        payment.Property(p => p.FailureReason).HasMaxLength(500);
        payment.HasOne<Invoice>().WithMany().HasForeignKey(p => p.InvoiceId);
        payment.HasIndex(p => new { p.InvoiceId, p.Attempt }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<BillingSettings> settings)
    {
        settings.ToTable("billing_settings");
        settings.HasKey(s => s.TenantId);
        settings.Property(s => s.TenantId).HasMaxLength(64);
        settings.Property(s => s.TaxRate).HasPrecision(7, 6);
        settings.Property(s => s.InvoicePrefix).HasMaxLength(20);
    }

    public void Configure(EntityTypeBuilder<InvoiceSequence> sequence)
    {
        sequence.ToTable("invoice_sequences");
        sequence.HasKey(s => s.TenantId);
        sequence.Property(s => s.TenantId).HasMaxLength(64);
    }
}
