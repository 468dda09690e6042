using System.Globalization;

namespace Codex.Web.Components.Pages.Platform;

/// <summary>The audit and security pages' shared filter handling.</summary>
public static class Ledger
{
    private static readonly string[] Formats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd"];

    /// <summary>
    /// A datetime-local or date value read as UTC. The API's "to" is inclusive to the tick, so an end bound covers
    /// the whole minute (or day) the person picked. False when the text is not a date.
    /// </summary>
    public static bool TryParseUtc(string? text, bool end, out DateTimeOffset? at)
    {
        at = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        if (!DateTime.TryParseExact(text.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }
        var start = new DateTimeOffset(DateTime.SpecifyKind(parsed, DateTimeKind.Utc));
        at = !end ? start
            : text.Trim().Length == 10 ? start.AddDays(1).AddTicks(-1)
            : parsed.Second == 0 && parsed.Millisecond == 0 ? start.AddMinutes(1).AddTicks(-1)
            : start;
        return true;
    }
}
