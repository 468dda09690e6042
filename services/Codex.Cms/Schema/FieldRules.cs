using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Codex.Cms.Model;

namespace Codex.Cms.Schema;

/// <summary>What a content type's field list may say: names, kinds, and only the constraints a kind has.</summary>
public static partial class FieldRules
{
    public const int MaxSlugLength = 100;
    public const int MaxFields = 100;
    public const int MaxComponentDepth = 3;
    public const int MaxPatternLength = 500;
    public const int MaxEnumValues = 200;

    /// <summary>How field lists are stored and served: camelCase, nulls left out.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9_]{0,63}$")]
    private static partial Regex NamePattern();

    public static bool IsSlug(string? slug) => slug is { Length: > 0 and <= MaxSlugLength } && SlugPattern().IsMatch(slug);

    /// <summary>Every rule a field list breaks, keyed like <c>fields[2].pattern</c>.</summary>
    public static void Check(IReadOnlyList<FieldDefinition>? fields, FieldErrors errors, string path = "fields", int depth = 1)
    {
        if (fields is null || fields.Count == 0)
        {
            errors.Add(path, "A content type (and a component) has at least one field.");
            return;
        }
        errors.AddIf(fields.Count > MaxFields, path, $"At most {MaxFields} fields.");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < fields.Count; i++)
        {
            var at = $"{path}[{i}]";
            if (fields[i] is not { } field)
            {
                errors.Add(at, "A field is an object with a name and a kind.");
                continue;
            }
            if (field.Name is null || !NamePattern().IsMatch(field.Name))
            {
                errors.Add($"{at}.name", "A field name starts with a letter and has up to 64 letters, digits and underscores.");
            }
            else if (!seen.Add(field.Name))
            {
                errors.Add($"{at}.name", $"'{field.Name}' is named twice (names differ by more than case).");
            }
            errors.AddIf(field.Label is { Length: > 200 }, $"{at}.label", "A label has at most 200 characters.");
            if (!FieldKinds.All.Contains(field.Kind))
            {
                errors.Add($"{at}.kind", $"kind is one of {string.Join(", ", FieldKinds.All)}.");
                continue;
            }
            CheckConstraints(field, errors, at, depth);
        }
    }

    private static void CheckConstraints(FieldDefinition field, FieldErrors errors, string at, int depth)
    {
        var bounded = field.Kind is FieldKinds.Text or FieldKinds.RichText or FieldKinds.Number or FieldKinds.Component;
        errors.AddIf(!bounded && (field.Min is not null || field.Max is not null), $"{at}.min", $"A {field.Kind} field has no min or max.");
        if (bounded && field.Kind != FieldKinds.Number)
        {
            // Lengths and counts: whole, not negative.
            errors.AddIf(field.Min is { } min && (min < 0 || min != decimal.Truncate(min)), $"{at}.min", "min is a whole number, 0 or more.");
            errors.AddIf(field.Max is { } max && (max < 1 || max != decimal.Truncate(max)), $"{at}.max", "max is a whole number, 1 or more.");
        }
        errors.AddIf(field is { Min: { } low, Max: { } high } && low > high, $"{at}.max", "max is at least min.");

        if (field.Pattern is not null)
        {
            if (field.Kind != FieldKinds.Text)
            {
                errors.Add($"{at}.pattern", "Only a text field has a pattern.");
            }
            else if (field.Pattern.Length is 0 or > MaxPatternLength || !Compiles(field.Pattern))
            {
                errors.Add($"{at}.pattern", $"pattern is a regular expression of up to {MaxPatternLength} characters.");
            }
        }

        if (field.Kind == FieldKinds.Enum)
        {
            var values = field.Values ?? [];
            errors.AddIf(values.Count is 0 or > MaxEnumValues, $"{at}.values", $"An enum field lists 1 to {MaxEnumValues} values.");
            errors.AddIf(values.Any(v => v is not { Length: > 0 and <= 200 }), $"{at}.values", "Each value has 1 to 200 characters.");
            errors.AddIf(values.Distinct(StringComparer.Ordinal).Count() != values.Count, $"{at}.values", "Values are listed once each.");
        }
        else
        {
            errors.AddIf(field.Values is not null, $"{at}.values", "Only an enum field lists values.");
        }

        if (field.ReferenceType is not null)
        {
            errors.AddIf(field.Kind != FieldKinds.Reference, $"{at}.referenceType", "Only a reference field names a referenceType.");
            errors.AddIf(field.Kind == FieldKinds.Reference && !IsSlug(field.ReferenceType), $"{at}.referenceType", "referenceType is a content type's slug.");
        }

        if (field.Kind == FieldKinds.Component)
        {
            if (depth >= MaxComponentDepth)
            {
                errors.Add($"{at}.fields", $"Components nest at most {MaxComponentDepth - 1} deep.");
            }
            else
            {
                Check(field.Fields, errors, $"{at}.fields", depth + 1);
            }
        }
        else
        {
            errors.AddIf(field.Fields is not null, $"{at}.fields", "Only a component field has fields of its own.");
        }
    }

    private static bool Compiles(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, ContentSchema.PatternTimeout);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The reference fields' target types at any depth: each must exist in the tenant.</summary>
    public static IEnumerable<(string Path, string Type)> ReferenceTypes(IReadOnlyList<FieldDefinition> fields, string path = "fields")
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i].ReferenceType is { } type)
            {
                yield return ($"{path}[{i}].referenceType", type);
            }
            foreach (var nested in ReferenceTypes(fields[i].Fields ?? [], $"{path}[{i}].fields"))
            {
                yield return nested;
            }
        }
    }
}
