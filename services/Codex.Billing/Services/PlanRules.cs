using System.Text.RegularExpressions;
using Codex.Billing.Contracts;
using Codex.Billing.Model;
using Codex.Billing.Pricing;

namespace Codex.Billing.Services;

/// <summary>What makes plan terms and metric definitions valid; every error names its field.</summary>
public static partial class PlanRules
{
    public const int MaxTiers = 20;
    public const int MaxFeatures = 50;

    /// <summary>Unit prices may be finer than the currency (0.0001 an API call); the line total is rounded.</summary>
    public const int MaxUnitPriceDecimals = 8;

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,63}$")]
    public static partial Regex Code();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex FeatureName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex PropertyName();

    public static void Validate(MetricRequest request, FieldErrors errors)
    {
        errors.AddIf(!Code().IsMatch(request.Code ?? ""), "code", "code is 1-64 lower-case letters, digits, '_', '.' or '-'.");
        if (!Aggregations.All.Contains(request.Aggregation))
        {
            errors.Add("aggregation", $"aggregation is one of {string.Join(", ", Aggregations.All)}.");
        }
        else if (Aggregations.NeedsField(request.Aggregation))
        {
            errors.AddIf(!PropertyName().IsMatch(request.Field ?? ""), "field", $"{request.Aggregation} reads one event property: name it in field.");
        }
        else
        {
            errors.AddIf(request.Field is not null, "field", "count reads no property: leave field out.");
        }
    }

    /// <summary>Checks the terms; <paramref name="metrics"/> are the tenant's metric codes.</summary>
    public static void Validate(PlanRequest request, IReadOnlySet<string> metrics, FieldErrors errors)
    {
        var currencyKnown = Currencies.IsKnown(request.Currency);
        errors.AddIf(!currencyKnown, "currency", "currency is an ISO 4217 code in upper case (EUR, USD, JPY).");
        errors.AddIf(request.Amount < 0, "amount", "amount is 0 or more.");
        if (currencyKnown)
        {
            errors.AddIf(!Currencies.Fits(request.Amount, request.Currency), "amount", $"{request.Currency} has {Currencies.MinorUnits(request.Currency)} decimal place(s).");
        }
        errors.AddIf(!BillingIntervals.All.Contains(request.Interval), "interval", "interval is month or year.");
        errors.AddIf(request.IntervalCount is < 1 or > 12, "intervalCount", "intervalCount is 1 to 12.");
        errors.AddIf(request.TrialDays is < 0 or > 365, "trialDays", "trialDays is 0 to 365.");

        var charges = request.Charges ?? [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < charges.Count; i++)
        {
            var charge = charges[i];
            var at = $"charges[{i}]";
            if (charge is null)
            {
                errors.Add(at, "A charge is an object.");
                continue;
            }
            errors.AddIf(!metrics.Contains(charge.Metric ?? ""), $"{at}.metric", $"No billable metric '{charge.Metric}': create it first.");
            errors.AddIf(!seen.Add(charge.Metric ?? ""), $"{at}.metric", $"'{charge.Metric}' is charged twice.");
            ValidateCharge(charge, at, currencyKnown ? request.Currency : null, errors);
        }

        var limits = request.Entitlements?.Limits ?? new Dictionary<string, long>();
        foreach (var (name, value) in limits)
        {
            errors.AddIf(!LimitNames.All.Contains(name), $"entitlements.limits.{name}", $"A limit is one of {string.Join(", ", LimitNames.All)}.");
            errors.AddIf(value < 0, $"entitlements.limits.{name}", "A limit is 0 or more.");
        }
        var features = request.Entitlements?.Features ?? new Dictionary<string, bool>();
        errors.AddIf(features.Count > MaxFeatures, "entitlements.features", $"A plan has up to {MaxFeatures} feature flags.");
        foreach (var name in features.Keys.Where(name => !FeatureName().IsMatch(name)))
        {
            errors.Add($"entitlements.features.{name}", "A feature flag is named in lower case: letters, digits and '_'.");
        }
    }

    private static void ValidateCharge(UsageCharge charge, string at, string? currency, FieldErrors errors)
    {
        switch (charge.Model)
        {
            case ChargeModels.Standard:
                UnitPrice(charge.UnitPrice, $"{at}.unitPrice", errors);
                break;
            case ChargeModels.Graduated or ChargeModels.Volume:
                Tiers(charge.Tiers, $"{at}.tiers", currency, errors);
                break;
            case ChargeModels.Package:
                errors.AddIf(charge.PackageSize is not > 0 || charge.PackageSize != decimal.Truncate(charge.PackageSize.Value), $"{at}.packageSize", "packageSize is a whole number above 0.");
                Money(charge.PackagePrice, $"{at}.packagePrice", currency, errors, required: true);
                errors.AddIf(charge.FreeUnits < 0, $"{at}.freeUnits", "freeUnits is 0 or more.");
                break;
            default:
                errors.Add($"{at}.model", $"model is one of {string.Join(", ", ChargeModels.All)}.");
                break;
        }
    }

    private static void Tiers(IReadOnlyList<PriceTier>? tiers, string at, string? currency, FieldErrors errors)
    {
        if (tiers is not { Count: > 0 } || tiers.Count > MaxTiers)
        {
            errors.Add(at, $"A tiered charge has 1 to {MaxTiers} tiers.");
            return;
        }
        decimal previous = 0;
        for (var i = 0; i < tiers.Count; i++)
        {
            var tier = tiers[i];
            var last = i == tiers.Count - 1;
            if (last)
            {
                errors.AddIf(tier.UpTo is not null, $"{at}[{i}].upTo", "The last tier is unbounded: leave upTo out.");
            }
            else
            {
                errors.AddIf(tier.UpTo is not { } upTo || upTo <= previous, $"{at}[{i}].upTo", "Each tier but the last ends above the one before (upTo).");
                previous = tier.UpTo ?? previous;
            }
            UnitPrice(tier.UnitPrice, $"{at}[{i}].unitPrice", errors);
            Money(tier.FlatFee, $"{at}[{i}].flatFee", currency, errors, required: false);
        }
    }

    private static void UnitPrice(decimal? price, string field, FieldErrors errors) =>
        errors.AddIf(price is not >= 0 || price.Value.Scale > MaxUnitPriceDecimals && decimal.Round(price.Value, MaxUnitPriceDecimals) != price.Value,
            field, $"A unit price is 0 or more, with up to {MaxUnitPriceDecimals} decimal places.");

    private static void Money(decimal? amount, string field, string? currency, FieldErrors errors, bool required)
    {
        if (amount is not { } value)
        {
            errors.AddIf(required, field, "An amount is required.");
            return;
        }
        errors.AddIf(value < 0, field, "An amount is 0 or more.");
        if (currency is not null)
        {
            errors.AddIf(!Currencies.Fits(value, currency), field, $"{currency} has {Currencies.MinorUnits(currency)} decimal place(s).");
        }
    }
}
