namespace Codex.Billing.Pricing;

/// <summary>How a usage charge turns a period's units of one metric into money.</summary>
public static class ChargeModels
{
    /// <summary>Every unit at one price.</summary>
    public const string Standard = "standard";

    /// <summary>Each unit at the price of the tier it falls in (plus each entered tier's flat fee).</summary>
    public const string Graduated = "graduated";

    /// <summary>Units in whole packages after the free units: a started package is a whole one.</summary>
    public const string Package = "package";

    /// <summary>Every unit at the price of the one tier the period's total falls in (plus that tier's flat fee).</summary>
    public const string Volume = "volume";

    public static readonly IReadOnlyList<string> All = [Standard, Graduated, Package, Volume];
}

/// <summary>A tier up to <see cref="UpTo"/> units (inclusive; null for the last, unbounded one).</summary>
public sealed record PriceTier(decimal? UpTo, decimal UnitPrice, decimal FlatFee = 0);

/// <summary>A plan's price for one billable metric; which fields count depends on <see cref="Model"/>.</summary>
public sealed record UsageCharge(
    string Metric,
    string Model,
    decimal? UnitPrice = null,
    IReadOnlyList<PriceTier>? Tiers = null,
    decimal? PackageSize = null,
    decimal? PackagePrice = null,
    decimal FreeUnits = 0)
{
    /// <summary>What <paramref name="units"/> cost, unrounded (the invoice line rounds to the currency).</summary>
    public decimal Amount(decimal units)
    {
        if (units <= 0)
        {
            return 0;
        }
        return Model switch
        {
            ChargeModels.Standard => units * UnitPrice!.Value,
            ChargeModels.Graduated => GraduatedAmount(units),
            ChargeModels.Package => decimal.Ceiling(Math.Max(0, units - FreeUnits) / PackageSize!.Value) * PackagePrice!.Value,
            ChargeModels.Volume => VolumeAmount(units),
            _ => throw new InvalidOperationException($"Unknown charge model '{Model}'."),
        };
    }

    private decimal GraduatedAmount(decimal units)
    {
        decimal amount = 0, from = 0;
        foreach (var tier in Tiers!)
        {
            if (units <= from)
            {
                break;
            }
            var inTier = Math.Min(units, tier.UpTo ?? decimal.MaxValue) - from;
            amount += inTier * tier.UnitPrice + tier.FlatFee;
            from = tier.UpTo ?? decimal.MaxValue;
        }
        return amount;
    }

    private decimal VolumeAmount(decimal units)
    {
        var tier = Tiers!.First(t => t.UpTo is null || units <= t.UpTo);
        return units * tier.UnitPrice + tier.FlatFee;
    }
}
