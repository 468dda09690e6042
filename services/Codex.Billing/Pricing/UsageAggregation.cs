namespace Codex.Billing.Pricing;

/// <summary>How a billable metric turns a period's usage events into units.</summary>
public static class Aggregations
{
    public const string Count = "count";
    public const string Sum = "sum";
    public const string Max = "max";
    public const string UniqueCount = "unique_count";
    public const string Latest = "latest";

    /// <summary>
    /// Each event adds its value (negative to remove) to a running total that carries over from earlier periods; the
    /// units are that total averaged over the period's time (10 GB held for half the period is 5).
    /// </summary>
    public const string WeightedSum = "weighted_sum";

    public static readonly IReadOnlyList<string> All = [Count, Sum, Max, UniqueCount, Latest, WeightedSum];

    /// <summary>Whether the metric reads a property of the event (every aggregation but count).</summary>
    public static bool NeedsField(string aggregation) => aggregation != Count;

    /// <summary>Whether that property must be a number (unique_count counts any value).</summary>
    public static bool NeedsNumber(string aggregation) => aggregation is Sum or Max or Latest or WeightedSum;

    /// <summary>
    /// The time-weighted total over <paramref name="period"/>: <paramref name="carried"/> is the total before the
    /// period starts, <paramref name="changes"/> the period's events in time order.
    /// </summary>
    public static decimal WeightedTotal(BillingPeriod period, decimal carried, IEnumerable<(DateTimeOffset At, decimal Value)> changes)
    {
        var length = (decimal)(period.End - period.Start).Ticks;
        decimal integral = 0, total = carried;
        var since = period.Start;
        foreach (var (at, value) in changes)
        {
            integral += total * (at - since).Ticks;
            total += value;
            since = at;
        }
        integral += total * (period.End - since).Ticks;
        return integral / length;
    }
}
