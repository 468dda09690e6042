using Codex.Cms.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Codex.Cms.Infrastructure.EntityConfigurations;

public sealed class MediaAssetConfiguration : IEntityTypeConfiguration<MediaAsset>
{
    public void Configure(EntityTypeBuilder<MediaAsset> media)
    {
        media.ToTable("media_files");
        media.HasKey(m => m.Id);
        media.Property(m => m.TenantId).HasMaxLength(64);
        media.Property(m => m.FileName).HasMaxLength(Services.MediaService.MaxFileNameLength);
        media.Property(m => m.ContentType).HasMaxLength(100);
        media.Property(m => m.Sha256).HasMaxLength(64);
        media.Property(m => m.StorageKey).HasMaxLength(200);
        media.Property(m => m.ThumbnailKey).HasMaxLength(200);
        media.Property(m => m.AltText).HasMaxLength(Services.MediaService.MaxAltTextLength);
        media.Property(m => m.Caption).HasMaxLength(Services.MediaService.MaxCaptionLength);
        // The library lists newest first.
        media.HasIndex(m => new { m.TenantId, m.CreatedAt, m.Id });
    }
}

public sealed class MediaSettingsConfiguration : IEntityTypeConfiguration<MediaSettings>
{
    public void Configure(EntityTypeBuilder<MediaSettings> settings)
    {
        settings.ToTable("media_settings");
        settings.HasKey(s => s.TenantId);
        settings.Property(s => s.TenantId).HasMaxLength(64);
    }
}
