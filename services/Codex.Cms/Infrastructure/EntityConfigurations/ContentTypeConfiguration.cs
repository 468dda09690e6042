using System.Text.Json;
using Codex.Cms.Model;
using Codex.Cms.Schema;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Codex.Cms.Infrastructure.EntityConfigurations;

public sealed class ContentTypeConfiguration : IEntityTypeConfiguration<ContentType>
{
    public void Configure(EntityTypeBuilder<ContentType> type)
    {
        type.ToTable("content_types");
        type.HasKey(t => t.Id);
        type.Property(t => t.TenantId).HasMaxLength(64);
        type.Property(t => t.Slug).HasMaxLength(FieldRules.MaxSlugLength);
        type.Property(t => t.Name).HasMaxLength(200);
        type.Property(t => t.Description).HasMaxLength(2000);
        type.Property(t => t.Fields).HasColumnType("jsonb").HasConversion(
            fields => JsonSerializer.Serialize(fields, FieldRules.Json),
            json => JsonSerializer.Deserialize<List<FieldDefinition>>(json, FieldRules.Json) ?? new List<FieldDefinition>(),
            new ValueComparer<IReadOnlyList<FieldDefinition>>(
                (a, b) => JsonSerializer.Serialize(a, FieldRules.Json) == JsonSerializer.Serialize(b, FieldRules.Json),
                fields => JsonSerializer.Serialize(fields, FieldRules.Json).GetHashCode(StringComparison.Ordinal),
                fields => fields.ToList()));
        type.HasIndex(t => new { t.TenantId, t.Slug }).IsUnique();
    }
}
