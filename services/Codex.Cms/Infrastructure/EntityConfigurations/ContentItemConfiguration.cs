using Codex.Cms.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Codex.Cms.Infrastructure.EntityConfigurations;

public sealed class ContentItemConfiguration : IEntityTypeConfiguration<ContentItem>
{
    public void Configure(EntityTypeBuilder<ContentItem> item)
    {
        item.ToTable("content_items", t => t.HasCheckConstraint("ck_content_items_status", "status IN ('draft', 'in_review', 'published', 'archived')"));
        item.HasKey(i => i.Id);
        item.Property(i => i.TenantId).HasMaxLength(64);
        item.Property(i => i.Slug).HasMaxLength(Schema.FieldRules.MaxSlugLength);
        item.Property(i => i.Status).HasMaxLength(20);
        item.Property(i => i.Locale).HasMaxLength(Schema.LocaleCodes.MaxLength);
        item.Property(i => i.Data).HasColumnType("jsonb");
        item.Property(i => i.PublishedData).HasColumnType("jsonb");
        item.Property(i => i.RowVersion).IsRowVersion();
        item.HasOne(i => i.Type).WithMany().HasForeignKey(i => i.ContentTypeId).OnDelete(DeleteBehavior.Restrict);
        // Slugs are unique per type and tenant (an item's variants share theirs); one variant per locale.
        item.HasIndex(i => new { i.TenantId, i.ContentTypeId, i.Slug, i.Locale }).IsUnique();
        item.HasIndex(i => new { i.EntryId, i.Locale }).IsUnique();
        // The list reads a type's items newest first.
        item.HasIndex(i => new { i.TenantId, i.ContentTypeId, i.UpdatedAt, i.Id });
        item.HasIndex(i => new { i.TenantId, i.UpdatedAt, i.Id });
        // The delivery list's default order (newest publication first) reads only the rows of its page.
        item.HasIndex(i => new { i.TenantId, i.ContentTypeId, i.PublishedAt, i.Id }).HasFilter("published_version IS NOT NULL")
            .HasDatabaseName("ix_content_items_published");
        // The scheduler's look for due work, across tenants: only scheduled items are in these.
        item.HasIndex(i => i.PublishAt).HasFilter("publish_at IS NOT NULL");
        item.HasIndex(i => i.UnpublishAt).HasFilter("unpublish_at IS NOT NULL");
    }
}

public sealed class ContentRevisionConfiguration : IEntityTypeConfiguration<ContentRevision>
{
    public void Configure(EntityTypeBuilder<ContentRevision> revision)
    {
        revision.ToTable("content_item_revisions");
        revision.HasKey(r => r.Id);
        revision.Property(r => r.TenantId).HasMaxLength(64);
        revision.Property(r => r.Slug).HasMaxLength(Schema.FieldRules.MaxSlugLength);
        revision.Property(r => r.Data).HasColumnType("jsonb");
        revision.Property(r => r.Note).HasMaxLength(100);
        revision.HasOne<ContentItem>().WithMany().HasForeignKey(r => r.ItemId).OnDelete(DeleteBehavior.Cascade);
        revision.HasIndex(r => new { r.ItemId, r.Version }).IsUnique();
    }
}
