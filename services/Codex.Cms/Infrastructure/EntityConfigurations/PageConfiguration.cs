using Codex.Cms.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Codex.Cms.Infrastructure.EntityConfigurations;

public sealed class PageConfiguration : IEntityTypeConfiguration<Page>
{
    public void Configure(EntityTypeBuilder<Page> page)
    {
        page.ToTable("pages");
        page.HasKey(p => p.Id);
        page.Property(p => p.TenantId).HasMaxLength(64);
        page.Property(p => p.Slug).HasMaxLength(Schema.FieldRules.MaxSlugLength);
        page.Property(p => p.Path).HasMaxLength(1000);
        page.Property(p => p.Title).HasMaxLength(200);
        page.Property(p => p.SeoTitle).HasMaxLength(200);
        page.Property(p => p.SeoDescription).HasMaxLength(1000);
        page.Property(p => p.Content).HasColumnType("jsonb");
        page.Property(p => p.PublishedContent).HasColumnType("jsonb");
        page.Property(p => p.PublishedMeta).HasColumnType("jsonb");
        page.Property(p => p.RowVersion).IsRowVersion();
        page.HasOne<Page>().WithMany().HasForeignKey(p => p.ParentId).OnDelete(DeleteBehavior.Restrict);
        page.HasOne(p => p.Template).WithMany().HasForeignKey(p => p.TemplateId).OnDelete(DeleteBehavior.Restrict);
        // The public route reads by path; siblings are listed in order.
        page.HasIndex(p => new { p.TenantId, p.Path }).IsUnique();
        page.HasIndex(p => new { p.TenantId, p.ParentId, p.Position });
    }
}
