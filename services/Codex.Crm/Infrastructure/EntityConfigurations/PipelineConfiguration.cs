using Codex.Crm.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Codex.Crm.Infrastructure.EntityConfigurations;

public sealed class PipelineConfiguration : IEntityTypeConfiguration<Pipeline>
{
    public void Configure(EntityTypeBuilder<Pipeline> pipeline)
    {
        pipeline.ToTable("pipelines");
        pipeline.HasKey(p => p.Id);
        pipeline.Property(p => p.TenantId).HasMaxLength(64);
        pipeline.Property(p => p.Name).HasMaxLength(100);
        pipeline.HasIndex(p => new { p.TenantId, p.Name }).IsUnique();
        // At most one default pipeline per tenant, held by the database rather than by luck.
        pipeline.HasIndex(p => p.TenantId).IsUnique().HasFilter("is_default").HasDatabaseName("ix_pipelines_one_default_per_tenant");
        pipeline.HasMany(p => p.Stages).WithOne().HasForeignKey(s => s.PipelineId).OnDelete(DeleteBehavior.Cascade);
        pipeline.Navigation(p => p.Stages).AutoInclude();
    }
}

public sealed class PipelineStageConfiguration : IEntityTypeConfiguration<PipelineStage>
{
    public void Configure(EntityTypeBuilder<PipelineStage> stage)
    {
        stage.ToTable("pipeline_stages");
        stage.HasKey(s => new { s.PipelineId, s.Key });
        stage.Property(s => s.Key).HasMaxLength(50);
        stage.Property(s => s.Name).HasMaxLength(100);
        stage.Property(s => s.Kind).HasMaxLength(10);
    }
}
