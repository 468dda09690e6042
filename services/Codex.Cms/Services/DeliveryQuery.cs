using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Codex.Cms.Model;
using Microsoft.Extensions.Primitives;

namespace Codex.Cms.Services;

/// <summary>
/// A delivery list's query string, checked against the type: <c>filter[field]=v</c> or <c>filter[field][op]=v</c>
/// (eq, ne, gt, gte, lt, lte; contains for text), <c>sort=field</c> or <c>-field</c> (also slug, publishedAt),
/// <c>fields=a,b</c>, <c>locale</c>, <c>limit</c> and <c>cursor</c>. Everything it lets through names a field of the type and a
/// value of that field's kind; the SQL takes both as parameters.
/// </summary>
public sealed record DeliveryQuery(
    IReadOnlyList<DeliveryFilter> Filters, DeliverySort Sort, IReadOnlySet<string>? Fields, int Limit, DeliveryCursor? After, string? Locale = null)
{
    public const int MaxLimit = 100;
    private static readonly string[] Operators = ["eq", "ne", "gt", "gte", "lt", "lte", "contains"];
    private static readonly string[] Sortable = [FieldKinds.Text, FieldKinds.Number, FieldKinds.Date, FieldKinds.Enum, FieldKinds.Boolean];
    private static readonly string[] Filterable = [.. Sortable, FieldKinds.Media, FieldKinds.Reference];

    public static DeliveryQuery Parse(IReadOnlyDictionary<string, StringValues> query, ContentType type)
    {
        var errors = new FieldErrors();
        var fields = type.Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var filters = new List<DeliveryFilter>();
        foreach (var (key, values) in query)
        {
            if (!key.StartsWith("filter[", StringComparison.Ordinal))
            {
                errors.AddIf(key is not ("sort" or "fields" or "limit" or "cursor" or "locale"), key, "Not a parameter of this list (filter[field], sort, fields, locale, limit, cursor).");
                continue;
            }
            var parts = key[7..].TrimEnd(']').Split("][");
            var (name, op) = parts is [var only] ? (only, "eq") : parts is [var f, var o] ? (f, o) : ("", "");
            if (!fields.TryGetValue(name, out var field) || !Filterable.Contains(field.Kind))
            {
                errors.Add(key, $"'{name}' is not a field of '{type.Slug}' that can be filtered ({string.Join(", ", Filterable)}).");
                continue;
            }
            if (!Operators.Contains(op) || (op == "contains" && field.Kind != FieldKinds.Text)
                || (op is "gt" or "gte" or "lt" or "lte" && field.Kind is not (FieldKinds.Number or FieldKinds.Date or FieldKinds.Text)))
            {
                errors.Add(key, $"'{op}' is not an operator for a {field.Kind} field.");
                continue;
            }
            if (Value(field, values.ToString()) is { } value)
            {
                filters.Add(new DeliveryFilter(name, field.Kind, op, value));
            }
            else
            {
                errors.Add(key, $"'{values}' is not a {field.Kind} value.");
            }
        }

        var sort = DeliverySort.Default;
        if (query.TryGetValue("sort", out var sortText) && sortText.ToString() is { Length: > 0 } s)
        {
            var descending = s.StartsWith('-');
            var name = s.TrimStart('-');
            if (name is "slug" or "publishedAt")
            {
                sort = new DeliverySort(name, name == "slug" ? FieldKinds.Text : "timestamp", descending, BuiltIn: true);
            }
            else if (fields.TryGetValue(name, out var field) && Sortable.Contains(field.Kind))
            {
                sort = new DeliverySort(name, field.Kind, descending, BuiltIn: false);
            }
            else
            {
                errors.Add("sort", $"'{name}' is not sortable: slug, publishedAt, or a {string.Join(", ", Sortable)} field.");
            }
        }

        HashSet<string>? selected = null;
        if (query.TryGetValue("fields", out var fieldList) && fieldList.ToString() is { Length: > 0 } list)
        {
            selected = [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            foreach (var unknown in selected.Where(f => !fields.ContainsKey(f)))
            {
                errors.Add("fields", $"'{unknown}' is not a field of '{type.Slug}'.");
            }
        }

        var limit = 20;
        if (query.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors.Add("limit", $"limit must be 1 to {MaxLimit}.");
        }
        var after = query.TryGetValue("cursor", out var cursor) && cursor.ToString() is { Length: > 0 } c ? DeliveryCursor.Decode(c, sort, errors) : null;
        var locale = query.TryGetValue("locale", out var localeText) && localeText.ToString() is { Length: > 0 } l ? l : null;
        errors.ThrowIfAny();
        return new DeliveryQuery(filters, sort, selected, limit, after, locale);
    }

    /// <summary>The filter value as the SQL compares it: a number for numbers, else text; null when it is not one of the kind.</summary>
    private static object? Value(FieldDefinition field, string text) => field.Kind switch
    {
        FieldKinds.Number => decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null,
        FieldKinds.Boolean => text is "true" or "false" ? text : null,
        FieldKinds.Date => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? text : null,
        FieldKinds.Enum => field.Values?.Contains(text) == true ? text : null,
        FieldKinds.Media or FieldKinds.Reference => Guid.TryParse(text, out var id) ? id.ToString() : null,
        _ => text.Length <= 1000 ? text : null,
    };
}

public sealed record DeliveryFilter(string Field, string Kind, string Operator, object Value);

/// <summary>What a list is ordered by; ties are broken by id in the same direction.</summary>
public sealed record DeliverySort(string Name, string Kind, bool Descending, bool BuiltIn)
{
    public static readonly DeliverySort Default = new("publishedAt", "timestamp", Descending: true, BuiltIn: true);
}

/// <summary>Where a page ended: the last row's sort value (as text) and id, opaque to clients, bound to the sort it was made for.</summary>
public sealed record DeliveryCursor(string Sort, string? Value, Guid Id)
{
    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this));

    public static DeliveryCursor? Decode(string text, DeliverySort sort, FieldErrors errors)
    {
        try
        {
            var cursor = JsonSerializer.Deserialize<DeliveryCursor>(Base64Url.DecodeFromChars(text));
            if (cursor is not null && cursor.Sort == Key(sort))
            {
                return cursor;
            }
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
        }
        errors.Add("cursor", "cursor is not one this list gave out (with this sort).");
        return null;
    }

    public static string Key(DeliverySort sort) => $"{(sort.Descending ? "-" : "")}{sort.Name}";
}
