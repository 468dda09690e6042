using Codex.Crm.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Codex.Crm.Infrastructure.EntityConfigurations;

public sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> lead)
    {
        lead.ToTable("leads");
        lead.HasKey(l => l.Id);
        lead.Property(l => l.TenantId).HasMaxLength(64);
        lead.Property(l => l.Title).HasMaxLength(200);
        lead.Property(l => l.ContactName).HasMaxLength(200);
        lead.Property(l => l.ContactEmail).HasMaxLength(320);
        lead.Property(l => l.Company).HasMaxLength(200);
        lead.Property(l => l.Source).HasMaxLength(50);
        lead.Property(l => l.Stage).HasMaxLength(50);
        lead.Property(l => l.Status).HasMaxLength(10);
        lead.Property(l => l.Value).HasPrecision(18, 4);
        lead.Property(l => l.Currency).HasMaxLength(3).IsFixedLength();
        lead.Property(l => l.LostReason).HasMaxLength(500);
        lead.HasIndex(l => new { l.TenantId, l.Id });
        lead.HasIndex(l => new { l.TenantId, l.PipelineId, l.Stage });
        lead.HasIndex(l => new { l.TenantId, l.AssignedTo });
        lead.HasIndex(l => new { l.TenantId, l.CustomerId });
        lead.HasOne<Pipeline>().WithMany().HasForeignKey(l => l.PipelineId).OnDelete(DeleteBehavior.Restrict);
        lead.HasOne<Customer>().WithMany().HasForeignKey(l => l.CustomerId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class LeadStageVisitConfiguration : IEntityTypeConfiguration<LeadStageVisit>
{
    public void Configure(EntityTypeBuilder<LeadStageVisit> visit)
    {
        visit.ToTable("lead_stage_history");
        visit.HasKey(v => v.Id);
        visit.Property(v => v.TenantId).HasMaxLength(64);
        visit.Property(v => v.Stage).HasMaxLength(50);
        visit.HasIndex(v => new { v.TenantId, v.PipelineId, v.Stage });
        visit.HasIndex(v => v.LeadId);
        visit.HasOne<Lead>().WithMany().HasForeignKey(v => v.LeadId).OnDelete(DeleteBehavior.Cascade);
    }
}
