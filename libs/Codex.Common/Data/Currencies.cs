namespace Codex;

/// <summary>ISO 4217 currencies in use (codes and minor units), for validating money in any service.</summary>
public static class Currencies
{
    // Active codes as of 2026 (ANG, HRK, SLL, ZWL withdrawn); metals, funds and test codes (XAU, XXX …) are not money here.
    private const string TwoDecimals =
        "AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW COP COU " +
        "CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES " +
        "KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR " +
        "NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP " +
        "TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG";
    private const string NoDecimals = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
    private const string ThreeDecimals = "BHD IQD JOD KWD LYD OMR TND";
    private const string FourDecimals = "CLF UYW";

    private static readonly Dictionary<string, int> MinorUnitsByCode = new[] { (TwoDecimals, 2), (NoDecimals, 0), (ThreeDecimals, 3), (FourDecimals, 4) }
        .SelectMany(group => group.Item1.Split(' ').Select(code => (code, group.Item2)))
        .ToDictionary(c => c.code, c => c.Item2, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="code"/> is an active ISO 4217 code (upper case, as the standard writes it).</summary>
    public static bool IsKnown(string? code) => code is not null && MinorUnitsByCode.ContainsKey(code);

    /// <summary>How many decimals an amount in <paramref name="code"/> may have (JPY 0, EUR 2, KWD 3).</summary>
    public static int MinorUnits(string code) => MinorUnitsByCode[code];

    /// <summary>Whether <paramref name="amount"/> is expressible in <paramref name="code"/> (no fraction of a minor unit).</summary>
    public static bool Fits(decimal amount, string code) => decimal.Round(amount, MinorUnits(code)) == amount;
}
