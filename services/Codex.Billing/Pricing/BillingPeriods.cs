namespace Codex.Billing.Pricing;

public static class BillingIntervals
{
    public const string Month = "month";
    public const string Year = "year";

    public static readonly IReadOnlyList<string> All = [Month, Year];
}

/// <summary>A billing period: from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive).</summary>
public readonly record struct BillingPeriod(DateTimeOffset Start, DateTimeOffset End)
{
    public bool Contains(DateTimeOffset at) => at >= Start && at < End;

    /// <summary>Calendar days in the period (UTC dates): what proration divides by.</summary>
    public int Days => (End.UtcDateTime.Date - Start.UtcDateTime.Date).Days;
}

/// <summary>
/// Periods anchored on the subscription's start: period k starts at anchor + k intervals, always counted from the
/// anchor, so a subscription started on the 31st bills on the 28th/29th of February and on the 31st again in March
/// (chaining from the previous boundary would drift to the 28th for good).
/// </summary>
public static class BillingPeriods
{
    public static DateTimeOffset Boundary(DateTimeOffset anchor, string interval, int count, int k) => interval switch
    {
        BillingIntervals.Month => anchor.AddMonths(k * count),
        BillingIntervals.Year => anchor.AddYears(k * count),
        _ => throw new ArgumentOutOfRangeException(nameof(interval), interval, "month or year"),
    };

    /// <summary>The period that holds <paramref name="at"/> (the first one for any instant before the anchor).</summary>
    public static BillingPeriod Containing(DateTimeOffset anchor, string interval, int count, DateTimeOffset at)
    {
        var months = interval == BillingIntervals.Year ? 12 * count : count;
        var elapsed = (at.Year - anchor.Year) * 12 + at.Month - anchor.Month;
        var k = Math.Max(0, elapsed / months - 1);
        while (Boundary(anchor, interval, count, k + 1) <= at)
        {
            k++;
        }
        return new BillingPeriod(Boundary(anchor, interval, count, k), Boundary(anchor, interval, count, k + 1));
    }
}

/// <summary>The unused part of a paid-in-advance period, to the day.</summary>
public static class Proration
{
    /// <summary>Days of <paramref name="period"/> from <paramref name="at"/>'s date on (the day of a change belongs to the new plan).</summary>
    public static int DaysRemaining(BillingPeriod period, DateTimeOffset at) =>
        Math.Clamp((period.End.UtcDateTime.Date - at.UtcDateTime.Date).Days, 0, period.Days);

    /// <summary><paramref name="amount"/> for <paramref name="days"/> of the period's days, rounded to the currency.</summary>
    public static decimal Share(decimal amount, int days, BillingPeriod period, string currency) =>
        period.Days == 0 ? 0 : Currencies.Round(amount * days / period.Days, currency);
}
