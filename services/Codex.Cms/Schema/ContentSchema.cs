using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Codex.Cms.Model;
using Ganss.Xss;
using Json.Schema;

namespace Codex.Cms.Schema;

/// <summary>
/// A content type compiled for validation. Each field's value is checked by a JSON Schema (JsonSchema.Net: types,
/// lengths, bounds, enums, date and UUID formats); the walk around them reports unknown and missing fields by name,
/// recurses into components, and runs patterns with a timeout (a tenant's pattern runs on its editors' input, so a
/// catastrophic one must fail the field, not hang a thread). <see cref="Export"/> is the whole type as one schema.
/// </summary>
public sealed class ContentSchema
{
    public static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);
    public const int DefaultTextMax = 10_000;
    public const int DefaultRichTextMax = 200_000;

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
    private static readonly HtmlSanitizer Sanitizer = new();

    private readonly IReadOnlyList<CompiledField> _fields;

    private ContentSchema(IReadOnlyList<CompiledField> fields, JsonObject export)
    {
        _fields = fields;
        Export = export;
    }

    /// <summary>The type as a JSON Schema (draft 2020-12): what clients and the console's forms can read.</summary>
    public JsonObject Export { get; }

    public static ContentSchema Compile(ContentType type)
    {
        var (fields, export) = CompileFields(type.Fields);
        export.Insert(0, "$schema", "https://json-schema.org/draft/2020-12/schema");
        export.Insert(1, "title", type.Name);
        return new ContentSchema(fields, export);
    }

    private static (IReadOnlyList<CompiledField> Fields, JsonObject Export) CompileFields(IReadOnlyList<FieldDefinition> definitions)
    {
        var fields = new List<CompiledField>(definitions.Count);
        var properties = new JsonObject();
        foreach (var definition in definitions)
        {
            if (definition.Kind == FieldKinds.Component)
            {
                var (nested, items) = CompileFields(definition.Fields ?? []);
                fields.Add(new CompiledField(definition, null, null, new ContentSchema(nested, items)));
                var array = new JsonObject { ["type"] = new JsonArray("array", "null"), ["items"] = items };
                Bound(array, "minItems", "maxItems", definition);
                properties[definition.Name] = Annotated(array, definition);
                continue;
            }
            var leaf = Leaf(definition);
            var pattern = definition.Pattern is { } p ? new Regex(p, RegexOptions.None, PatternTimeout) : null;
            // Separate registries: building never adds to JsonSchema.Net's global one.
            var schema = leaf.Count == 0 ? null : JsonSchema.Build(JsonSerializer.SerializeToElement(leaf), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
            fields.Add(new CompiledField(definition, schema, pattern, null));
            var exported = (JsonObject)leaf.DeepClone();
            if (pattern is not null)
            {
                exported["pattern"] = definition.Pattern;
            }
            properties[definition.Name] = Annotated(Nullable(exported), definition);
        }
        var required = new JsonArray([.. definitions.Where(d => d.Required).Select(d => (JsonNode)JsonValue.Create(d.Name))]);
        return (fields, new JsonObject { ["type"] = "object", ["properties"] = properties, ["required"] = required, ["additionalProperties"] = false });
    }

    /// <summary>The schema of one non-null value of the field (null is "absent", which the walk judges).</summary>
    private static JsonObject Leaf(FieldDefinition field)
    {
        var schema = new JsonObject();
        switch (field.Kind)
        {
            case FieldKinds.Text or FieldKinds.RichText:
                schema["type"] = "string";
                schema["minLength"] = (int)(field.Min ?? (field.Required ? 1 : 0));
                schema["maxLength"] = (int)(field.Max ?? (field.Kind == FieldKinds.Text ? DefaultTextMax : DefaultRichTextMax));
                break;
            case FieldKinds.Number:
                schema["type"] = "number";
                Bound(schema, "minimum", "maximum", field);
                break;
            case FieldKinds.Boolean:
                schema["type"] = "boolean";
                break;
            case FieldKinds.Date:
                schema["type"] = "string";
                schema["format"] = "date";
                break;
            case FieldKinds.Enum:
                schema["enum"] = new JsonArray([.. (field.Values ?? []).Select(v => (JsonNode)JsonValue.Create(v))]);
                break;
            case FieldKinds.Media or FieldKinds.Reference:
                schema["type"] = "string";
                schema["format"] = "uuid";
                break;
        }
        return schema;   // json: any value
    }

    private static void Bound(JsonObject schema, string minimum, string maximum, FieldDefinition field)
    {
        if (field.Min is { } min)
        {
            schema[minimum] = min;
        }
        if (field.Max is { } max)
        {
            schema[maximum] = max;
        }
    }

    private static JsonObject Nullable(JsonObject schema)
    {
        if (schema["type"] is JsonValue type)
        {
            schema["type"] = new JsonArray(type.GetValue<string>(), "null");
        }
        else if (schema["enum"] is JsonArray values)
        {
            values.Add(null);
        }
        return schema;
    }

    private static JsonObject Annotated(JsonObject schema, FieldDefinition field)
    {
        schema["x-codex-kind"] = field.Kind;
        if (field.Label is { } label)
        {
            schema["title"] = label;
        }
        if (field.Localized)
        {
            schema["x-codex-localized"] = true;
        }
        if (field.ReferenceType is { } target)
        {
            schema["x-codex-reference-type"] = target;
        }
        return schema;
    }

    /// <summary>Adds an error for every way <paramref name="data"/> breaks the type; <paramref name="references"/> collects the ids that must exist.</summary>
    public void Validate(JsonElement data, FieldErrors errors, List<ItemReference>? references = null, string path = "data")
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, "An item's data is a JSON object of its type's fields.");
            return;
        }
        foreach (var property in data.EnumerateObject())
        {
            errors.AddIf(!_fields.Any(f => f.Definition.Name == property.Name), $"{path}.{property.Name}", $"'{property.Name}' is not a field of this type.");
        }
        foreach (var field in _fields)
        {
            var name = field.Definition.Name;
            var at = $"{path}.{name}";
            if (!data.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                errors.AddIf(field.Definition.Required, at, $"{field.Definition.Label ?? name} is required.");
                continue;
            }
            if (field.Component is { } component)
            {
                ValidateComponent(field.Definition, component, value, errors, references, at);
                continue;
            }
            if (field.Schema is { } schema && schema.Evaluate(value, Evaluation) is { IsValid: false } result)
            {
                errors.Add(at, FirstError(result, field.Definition));
                continue;
            }
            if (field.Pattern is { } pattern && !Matches(pattern, value.GetString()!))
            {
                errors.Add(at, $"{field.Definition.Label ?? name} does not match the pattern {field.Definition.Pattern}.");
                continue;
            }
            if (field.Definition.Kind is FieldKinds.Reference or FieldKinds.Media)
            {
                references?.Add(new ItemReference(at, value.GetGuid(), field.Definition.ReferenceType, field.Definition.Kind == FieldKinds.Media));
            }
        }
    }

    private static void ValidateComponent(
        FieldDefinition definition, ContentSchema component, JsonElement value, FieldErrors errors, List<ItemReference>? references, string at)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(at, $"{definition.Label ?? definition.Name} is a list of entries.");
            return;
        }
        var count = value.GetArrayLength();
        if (definition.Min is { } min && count < min)
        {
            errors.Add(at, $"{definition.Label ?? definition.Name} has at least {min} entries.");
        }
        if (definition.Max is { } max && count > max)
        {
            errors.Add(at, $"{definition.Label ?? definition.Name} has at most {max} entries.");
        }
        var index = 0;
        foreach (var entry in value.EnumerateArray())
        {
            component.Validate(entry, errors, references, $"{at}[{index++}]");
        }
    }

    private static bool Matches(Regex pattern, string text)
    {
        try
        {
            return pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static string FirstError(EvaluationResults result, FieldDefinition field)
    {
        IEnumerable<string> own = result.Errors?.Values ?? Enumerable.Empty<string>();
        var message = own.Concat((result.Details ?? []).SelectMany(d => (IEnumerable<string>?)d.Errors?.Values ?? [])).FirstOrDefault();
        return $"{field.Label ?? field.Name}: {message ?? $"not a valid {field.Kind} value"}";
    }

    /// <summary>The data as stored: rich text sanitised (scripts, handlers and javascript: URLs removed), at any depth.</summary>
    public JsonObject Clean(JsonElement data)
    {
        var node = JsonNode.Parse(data.GetRawText())!.AsObject();
        Clean(node);
        return node;
    }

    private void Clean(JsonObject node)
    {
        foreach (var field in _fields)
        {
            if (node[field.Definition.Name] is not { } value)
            {
                continue;
            }
            if (field.Definition.Kind == FieldKinds.RichText && value is JsonValue html && html.TryGetValue<string>(out var text))
            {
                node[field.Definition.Name] = Sanitizer.Sanitize(text);
            }
            else if (field.Component is { } component && value is JsonArray entries)
            {
                foreach (var entry in entries.OfType<JsonObject>())
                {
                    component.Clean(entry);
                }
            }
        }
    }

    private sealed record CompiledField(FieldDefinition Definition, JsonSchema? Schema, Regex? Pattern, ContentSchema? Component);
}

/// <summary>A reference field's value: the item must exist in the tenant (and be of <see cref="Type"/> when the field names one).</summary>
/// <summary>An id the data names: an item (of <see cref="Type"/> when set) or, when <see cref="IsMedia"/>, a media file.</summary>
public sealed record ItemReference(string Path, Guid ItemId, string? Type, bool IsMedia = false);
