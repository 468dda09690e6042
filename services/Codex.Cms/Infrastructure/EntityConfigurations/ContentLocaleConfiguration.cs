using Codex.Cms.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Codex.Cms.Infrastructure.EntityConfigurations;

public sealed class ContentLocaleConfiguration : IEntityTypeConfiguration<ContentLocale>
{
    public void Configure(EntityTypeBuilder<ContentLocale> locale)
    {
        locale.ToTable("locales");
        locale.HasKey(l => new { l.TenantId, l.Code });
        locale.Property(l => l.TenantId).HasMaxLength(64);
        locale.Property(l => l.Code).HasMaxLength(Schema.LocaleCodes.MaxLength);
        locale.Property(l => l.Fallback).HasMaxLength(Schema.LocaleCodes.MaxLength);
        // One default per tenant, whatever two admins save at once.
        locale.HasIndex(l => l.TenantId).IsUnique().HasFilter("is_default").HasDatabaseName("ix_locales_one_default");
    }
}
