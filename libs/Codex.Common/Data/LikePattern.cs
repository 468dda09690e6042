namespace Codex;

/// <summary>Search text as a LIKE/ILIKE pattern: its wildcards escaped, matching anywhere.</summary>
public static class LikePattern
{
    public static string Containing(string text) =>
        "%" + text.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
