using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Codex.Web.Api;

namespace Codex.Web.Components.Pages.Content;

/// <summary>
/// An item's data as an HTML form and back: one input per field (<c>field:name</c>), each kind its own control.
/// Components and JSON fields are edited as JSON text. CMS validates what comes back; the only check here is
/// that JSON text parses, since the form could not send it otherwise.
/// </summary>
public static class ContentForm
{
    public const string Prefix = "field:";

    /// <summary>The form's text for each field of <paramref name="data"/>.</summary>
    public static Dictionary<string, string> Values(CmsType type, JsonElement? data)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in type.Fields)
        {
            if (data is not { ValueKind: JsonValueKind.Object } item || !item.TryGetProperty(field.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            values[field.Name] = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Number => value.GetRawText(),
                _ => JsonSerializer.Serialize(value, Indented),
            };
        }
        return values;
    }

    /// <summary>The data the form's <paramref name="values"/> (by field name) stand for, and what could not be read.</summary>
    public static (JsonObject Data, List<string> Errors) Read(CmsType type, IReadOnlyDictionary<string, string?> values)
    {
        var data = new JsonObject();
        var errors = new List<string>();
        foreach (var field in type.Fields)
        {
            var text = values.GetValueOrDefault(field.Name);
            if (field.Kind == "boolean")
            {
                data[field.Name] = text is "true" or "on";
                continue;
            }
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;   // left empty: not set (CMS says so if the field is required)
            }
            switch (field.Kind)
            {
                case "number":
                    // Not a number: sent as typed, for CMS to name the field.
                    data[field.Name] = decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : JsonValue.Create(text);
                    break;
                case "component" or "json":
                    try
                    {
                        data[field.Name] = JsonNode.Parse(text);
                    }
                    catch (JsonException)
                    {
                        errors.Add($"{field.Label ?? field.Name}: not valid JSON.");
                    }
                    break;
                default:
                    data[field.Name] = field.Kind == "richText" ? text : text.Trim();
                    break;
            }
        }
        return (data, errors);
    }

    /// <summary>What the editor typed, to show again when a save is refused.</summary>
    public static Dictionary<string, string> Typed(IReadOnlyDictionary<string, string?> posted) =>
        posted.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);

    /// <summary>The values a posted form holds for <paramref name="type"/>'s fields.</summary>
    public static Dictionary<string, string?> Posted(CmsType type, IFormCollection form) =>
        type.Fields.ToDictionary(f => f.Name, f => form.TryGetValue(Prefix + f.Name, out var value) ? (string?)value.ToString() : null, StringComparer.Ordinal);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly JsonSerializerOptions FieldsJson = new(JsonSerializerOptions.Web)
    {
        WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault,
    };

    /// <summary>A type's fields as the JSON an admin edits (defaults left out).</summary>
    public static string FieldsText(IReadOnlyList<CmsField> fields) => JsonSerializer.Serialize(fields, FieldsJson);

    /// <summary>The fields an admin wrote, or why they are not fields.</summary>
    public static (List<CmsField>? Fields, string? Error) ParseFields(string text)
    {
        try
        {
            return (JsonSerializer.Deserialize<List<CmsField>>(text, JsonSerializerOptions.Web) ?? [], null);
        }
        catch (JsonException ex)
        {
            return (null, ex.Message);
        }
    }
}
