using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Codex.Web.Components.Pages.Platform;

/// <summary>Words and numbers for the platform pages: summary figures, JSON cells, ledger filters.</summary>
public static class Figures
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>"openPipelineValue" → "Open pipeline value": the summary's keys are the only names we get.</summary>
    public static string Label(string key)
    {
        var text = new StringBuilder(key.Length + 8);
        foreach (var c in key)
        {
            if (text.Length > 0 && char.IsUpper(c))
            {
                text.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else if (text.Length > 0 && char.IsDigit(c) && !char.IsDigit(text[^1]))
            {
                text.Append(' ').Append(c);
            }
            else
            {
                text.Append(text.Length == 0 ? char.ToUpperInvariant(c) : c);
            }
        }
        return text.ToString();
    }

    /// <summary>A number with thousands separators and at most two decimals (the same on every server culture).</summary>
    public static string Number(JsonElement value) =>
        value.TryGetDecimal(out var number) ? number.ToString("#,0.##", CultureInfo.InvariantCulture) : value.GetRawText();

    /// <summary>An amount of money: always two decimals.</summary>
    public static string Money(JsonElement value) =>
        value.TryGetDecimal(out var amount) ? amount.ToString("#,0.00", CultureInfo.InvariantCulture) : Compact(value);

    /// <summary>A figure's value as text: a string as it is, null as a dash, anything else as one line of JSON.</summary>
    public static string Plain(JsonElement value) =>
        value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? "",
            JsonValueKind.Null or JsonValueKind.Undefined => "—",
            _ => JsonSerializer.Serialize(value),
        };

    /// <summary>JSON on one line, strings quoted (a config value "14" is not the number 14).</summary>
    public static string Compact(JsonElement value) =>
        value.ValueKind == JsonValueKind.Undefined ? "—" : JsonSerializer.Serialize(value);

    /// <summary>Indented JSON; a value the API left out is a dash (serializing it would throw).</summary>
    public static string Pretty(JsonElement value) =>
        value.ValueKind == JsonValueKind.Undefined ? "—" : JsonSerializer.Serialize(value, Indented);

    /// <summary>Parses JSON typed by a person; the error names the line and column, counted from 1.</summary>
    public static bool TryParse(string? text, out JsonElement value, out string? error)
    {
        value = default;
        error = null;
        try
        {
            using var document = JsonDocument.Parse(text ?? "");
            value = document.RootElement.Clone();
            return true;
        }
        catch (JsonException ex)
        {
            error = $"The value is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, column {(ex.BytePositionInLine ?? 0) + 1}). "
                + "Text needs double quotes, e.g. \"on\"; numbers, true, false, null, [ … ] and { … } are written as they are.";
            return false;
        }
    }
}
