using System.Xml.Linq;

namespace Codex;

/// <summary>
/// ISO 4217 currencies (codes and minor units) for validating and rounding money in any service. The table is ISO's own
/// "list one" (<c>iso4217-list-one.xml</c>, embedded as published; its <c>Pblshd</c> date is <see cref="PublishedOn"/>),
/// not a hand-typed copy: a new list is a file swap. Codes without minor units (gold, SDR, test codes) are not money here.
/// </summary>
public static class Currencies
{
    private static readonly (Dictionary<string, int> MinorUnits, string Published) List = Load();

    /// <summary>The publication date of the embedded ISO 4217 list.</summary>
    public static string PublishedOn => List.Published;

    /// <summary>Whether <paramref name="code"/> is an ISO 4217 currency code (upper case, as the standard writes it).</summary>
    public static bool IsKnown(string? code) => code is not null && List.MinorUnits.ContainsKey(code);

    /// <summary>How many decimals an amount in <paramref name="code"/> may have (JPY 0, EUR 2, KWD 3).</summary>
    public static int MinorUnits(string code) => List.MinorUnits[code];

    /// <summary>Whether <paramref name="amount"/> is expressible in <paramref name="code"/> (no fraction of a minor unit).</summary>
    public static bool Fits(decimal amount, string code) => decimal.Round(amount, MinorUnits(code)) == amount;

    /// <summary><paramref name="amount"/> to the currency's minor unit, halves away from zero (as invoices round).</summary>
    public static decimal Round(decimal amount, string code) => decimal.Round(amount, MinorUnits(code), MidpointRounding.AwayFromZero);

    private static (Dictionary<string, int>, string) Load()
    {
        using var stream = typeof(Currencies).Assembly.GetManifestResourceStream("Codex.Data.iso4217-list-one.xml")
            ?? throw new InvalidOperationException("The ISO 4217 list is not embedded in Codex.Common.");
        var document = XDocument.Load(stream);
        var units = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in document.Descendants("CcyNtry"))
        {
            if (entry.Element("Ccy")?.Value is { Length: 3 } code && int.TryParse(entry.Element("CcyMnrUnts")?.Value, out var minor))
            {
                units[code] = minor;
            }
        }
        return (units, document.Root?.Attribute("Pblshd")?.Value ?? "unknown");
    }
}
