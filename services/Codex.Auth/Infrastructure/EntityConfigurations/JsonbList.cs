using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Codex.Auth.Infrastructure.EntityConfigurations;

/// <summary>A list of strings stored as a JSONB array (the seed schema's <c>permissions JSONB</c>).</summary>
internal static class JsonbList
{
    public static PropertyBuilder<List<string>> IsJsonbList(this PropertyBuilder<List<string>> property) =>
        property.HasColumnType("jsonb").HasConversion(
            list => JsonSerializer.Serialize(list, (JsonSerializerOptions?)null),
            json => JsonSerializer.Deserialize<List<string>>(json, (JsonSerializerOptions?)null) ?? new List<string>(),
            new ValueComparer<List<string>>(
                (a, b) => a!.SequenceEqual(b!),
                list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item.GetHashCode())),
                list => list.ToList()));
}
