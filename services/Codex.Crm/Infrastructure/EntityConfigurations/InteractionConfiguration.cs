using Codex.Crm.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Codex.Crm.Infrastructure.EntityConfigurations;

public sealed class InteractionConfiguration : IEntityTypeConfiguration<Interaction>
{
    public void Configure(EntityTypeBuilder<Interaction> interaction)
    {
        interaction.ToTable("interactions");
        interaction.HasKey(i => i.Id);
        interaction.Property(i => i.TenantId).HasMaxLength(64);
        interaction.Property(i => i.Kind).HasMaxLength(20);
        interaction.Property(i => i.Subject).HasMaxLength(200);
        interaction.Property(i => i.Body).HasMaxLength(10_000);
        // The two timelines: newest first per customer and per lead.
        interaction.HasIndex(i => new { i.TenantId, i.CustomerId, i.OccurredAt, i.Id });
        interaction.HasIndex(i => new { i.TenantId, i.LeadId, i.OccurredAt, i.Id });
        interaction.HasOne<Customer>().WithMany().HasForeignKey(i => i.CustomerId).OnDelete(DeleteBehavior.Restrict);
        interaction.HasOne<Lead>().WithMany().HasForeignKey(i => i.LeadId).OnDelete(DeleteBehavior.Restrict);
        interaction.ToTable(t => t.HasCheckConstraint("ck_interactions_subject", "customer_id IS NOT NULL OR lead_id IS NOT NULL"));
    }
}
