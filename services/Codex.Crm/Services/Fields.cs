namespace Codex.Crm.Services;

/// <summary>How free text and short codes are read from any CRM request: trimmed, blanks as null, codes lower-case.</summary>
public static class Fields
{
    public static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A short code (a source): lower-cased, or an error on <paramref name="field"/> when it is not a slug.</summary>
    public static string? Code(string? value, string field, FieldErrors errors)
    {
        var code = Text(value)?.ToLowerInvariant();
        errors.AddIf(code is not null && !Slugs.IsValid(code), field, $"{field} is a short code: letters, digits, '-' and '_', up to 50 characters.");
        return code;
    }
}

/// <summary>Short codes (sources, stage keys): lower-case letters, digits, '-' and '_'.</summary>
public static class Slugs
{
    public static bool IsValid(string value) =>
        value.Length is > 0 and <= 50 && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');

    /// <summary>A key made from a display name: "Closed Won" → "closed_won".</summary>
    public static string From(string name)
    {
        var chars = name.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray();
        var slug = string.Join('_', new string(chars).Split('_', StringSplitOptions.RemoveEmptyEntries));
        return slug.Length > 50 ? slug[..50] : slug;
    }
}
