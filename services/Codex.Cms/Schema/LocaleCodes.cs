using System.Text.RegularExpressions;

namespace Codex.Cms.Schema;

/// <summary>The locale tags CMS accepts: language, optional script, optional region (<c>en</c>, <c>zh-Hant</c>, <c>fr-CA</c>, <c>es-419</c>).</summary>
public static partial class LocaleCodes
{
    public const int MaxLength = 16;

    /// <summary>The locale of every tenant that has configured none, and of the items written before locales were.</summary>
    public const string Default = "en";

    [GeneratedRegex("^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")]
    private static partial Regex Tag();

    public static bool IsValid(string? code) => code is { Length: <= MaxLength } && Tag().IsMatch(code);
}
