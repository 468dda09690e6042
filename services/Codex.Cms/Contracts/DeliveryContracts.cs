using System.Text.Json;
using System.Text.Json.Serialization;

namespace Codex.Cms.Contracts;

/// <summary>
/// An item as readers get it: the published copy (or, in preview, the working copy), trimmed to the fields asked for.
/// <see cref="Locale"/> is the variant's: another than the one asked for when the read fell back. <see cref="EntryId"/>
/// is the item's, the same in every locale.
/// </summary>
public sealed record DeliveredItem(Guid Id, string Type, string Slug, int Version, string Status, DateTimeOffset? PublishedAt, RawJson Data, string Locale, Guid EntryId);

/// <summary>
/// JSON that PostgreSQL already produced (a jsonb column as text), written out as it is: the delivery path is the hot
/// read, and parsing each item's data only to write it again was a large share of its cost.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public readonly record struct RawJson(string Json);

public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new RawJson(document.RootElement.GetRawText());
    }

    // Not validated again: the text comes from a jsonb column (or from System.Text.Json), so it is JSON.
    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) => writer.WriteRawValue(value.Json, skipInputValidation: true);
}
