using Codex.Billing.Pricing;

namespace Codex.Billing.Tests;

/// <summary>Charge models, periods, proration and aggregation against tables worked out by hand.</summary>
public sealed class PricingTests
{
    private static readonly PriceTier[] Tiers = [new(100, 0m), new(1000, 0.50m, 10m), new(null, 0.10m)];

    [Theory]
    // Graduated: the first 100 free, 101-1000 at 0.50 (+10 on entering), beyond at 0.10.
    [InlineData(ChargeModels.Graduated, 0, 0)]
    [InlineData(ChargeModels.Graduated, 100, 0)]
    [InlineData(ChargeModels.Graduated, 101, 10.50)]          // 1 × 0.50 + 10
    [InlineData(ChargeModels.Graduated, 1000, 460)]           // 900 × 0.50 + 10
    [InlineData(ChargeModels.Graduated, 1500, 510)]           // 460 + 500 × 0.10
    // Volume: every unit at the tier the total lands in.
    [InlineData(ChargeModels.Volume, 100, 0)]
    [InlineData(ChargeModels.Volume, 101, 60.50)]             // 101 × 0.50 + 10
    [InlineData(ChargeModels.Volume, 1000, 510)]              // 1000 × 0.50 + 10
    [InlineData(ChargeModels.Volume, 1500, 150)]              // 1500 × 0.10
    public void Tiered_charges_price_units_as_worked_out(string model, int units, double expected) =>
        Assert.Equal((decimal)expected, new UsageCharge("calls", model, Tiers: Tiers).Amount(units));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(100, 0)]        // all free
    [InlineData(101, 5)]        // one started package
    [InlineData(1100, 5)]       // exactly one
    [InlineData(1101, 10)]      // a second started
    public void A_package_charge_bills_whole_packages_after_the_free_units(int units, int expected) =>
        Assert.Equal(expected, new UsageCharge("calls", ChargeModels.Package, PackageSize: 1000, PackagePrice: 5, FreeUnits: 100).Amount(units));

    [Fact]
    public void A_standard_charge_is_units_times_the_price_rounded_only_on_the_line()
    {
        var charge = new UsageCharge("calls", ChargeModels.Standard, UnitPrice: 0.0015m);
        Assert.Equal(18.5175m, charge.Amount(12345));
        Assert.Equal(18.52m, Currencies.Round(charge.Amount(12345), "EUR"));
        Assert.Equal(19m, Currencies.Round(charge.Amount(12345), "JPY"));
    }

    [Theory]
    // Anchored on 31 January 2028 09:00: February has 29 days in 2028 and 28 in 2029; March is back on the 31st.
    [InlineData("2028-01-31T09:00:00Z", "month", 1, 1, "2028-02-29T09:00:00Z")]
    [InlineData("2028-01-31T09:00:00Z", "month", 1, 2, "2028-03-31T09:00:00Z")]
    [InlineData("2028-01-31T09:00:00Z", "month", 1, 3, "2028-04-30T09:00:00Z")]
    [InlineData("2028-01-31T09:00:00Z", "month", 1, 13, "2029-02-28T09:00:00Z")]
    // Quarterly from 30 November: 29 February in a leap year, then back on the 30th.
    [InlineData("2027-11-30T00:00:00Z", "month", 3, 1, "2028-02-29T00:00:00Z")]
    [InlineData("2027-11-30T00:00:00Z", "month", 3, 2, "2028-05-30T00:00:00Z")]
    // Yearly from 29 February: the 28th in common years, the 29th again in the next leap year.
    [InlineData("2028-02-29T00:00:00Z", "year", 1, 1, "2029-02-28T00:00:00Z")]
    [InlineData("2028-02-29T00:00:00Z", "year", 1, 4, "2032-02-29T00:00:00Z")]
    public void Period_boundaries_count_from_the_anchor(string anchor, string interval, int count, int k, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected), BillingPeriods.Boundary(DateTimeOffset.Parse(anchor), interval, count, k));

    [Theory]
    [InlineData("2028-02-29T08:59:59Z", "2028-01-31T09:00:00Z", "2028-02-29T09:00:00Z")]
    [InlineData("2028-02-29T09:00:00Z", "2028-02-29T09:00:00Z", "2028-03-31T09:00:00Z")]
    [InlineData("2029-03-15T00:00:00Z", "2029-02-28T09:00:00Z", "2029-03-31T09:00:00Z")]
    [InlineData("2027-12-01T00:00:00Z", "2028-01-31T09:00:00Z", "2028-02-29T09:00:00Z")]   // before the anchor: the first period
    public void The_period_holding_an_instant_starts_at_or_before_it(string at, string start, string end)
    {
        var period = BillingPeriods.Containing(DateTimeOffset.Parse("2028-01-31T09:00:00Z"), BillingIntervals.Month, 1, DateTimeOffset.Parse(at));
        Assert.Equal(new BillingPeriod(DateTimeOffset.Parse(start), DateTimeOffset.Parse(end)), period);
    }

    [Theory]
    // 31 Jan → 29 Feb 2028 is 29 days; a change on 15 Feb leaves 14 (the 15th to the 28th) for the new plan.
    [InlineData("2028-01-31", "2028-02-29", "2028-02-15T10:00:00Z", 30, "EUR", 29, 14, 14.48)]   // 30 × 14/29 = 14.4827…
    [InlineData("2028-01-31", "2028-02-29", "2028-02-15T10:00:00Z", 60, "EUR", 29, 14, 28.97)]   // 60 × 14/29 = 28.9655…
    // The same in 2027: February has 28 days, so half of 30 is 15.00.
    [InlineData("2027-01-31", "2027-02-28", "2027-02-14T23:59:00Z", 30, "EUR", 28, 14, 15.00)]
    [InlineData("2028-01-31", "2028-02-29", "2028-02-15T00:00:00Z", 1000, "JPY", 29, 14, 483)]   // 482.758… yen, no minor unit
    [InlineData("2028-01-31", "2028-02-29", "2028-02-15T00:00:00Z", 10, "KWD", 29, 14, 4.828)]   // 4.827586… dinar, three decimals
    [InlineData("2028-01-31", "2028-02-29", "2028-01-31T12:00:00Z", 30, "EUR", 29, 29, 30)]      // the first day: all of it
    [InlineData("2028-01-31", "2028-02-29", "2028-02-28T23:00:00Z", 30, "EUR", 29, 1, 1.03)]     // the last day: 30/29 = 1.0344…
    // A leap year's 366 days for a yearly plan: 120 × 100/366 = 32.7868…
    [InlineData("2028-01-01", "2029-01-01", "2028-09-23T00:00:00Z", 120, "EUR", 366, 100, 32.79)]
    public void Proration_shares_a_period_by_its_days(string start, string end, string at, double amount, string currency, int days, int remaining, double expected)
    {
        var period = new BillingPeriod(DateTimeOffset.Parse(start + "T00:00:00Z"), DateTimeOffset.Parse(end + "T00:00:00Z"));
        Assert.Equal(days, period.Days);
        Assert.Equal(remaining, Proration.DaysRemaining(period, DateTimeOffset.Parse(at)));
        Assert.Equal((decimal)expected, Proration.Share((decimal)amount, remaining, period, currency));
    }

    [Fact]
    public void A_weighted_sum_averages_the_running_total_over_the_period()
    {
        // 30 days of March: 0 for 10 days, 10 for 10, 30 for 5, 0 for 5 → (100 + 150) / 30.
        var march = new BillingPeriod(DateTimeOffset.Parse("2028-03-01T00:00:00Z"), DateTimeOffset.Parse("2028-03-31T00:00:00Z"));
        var changes = new[] { ("2028-03-11", 10m), ("2028-03-21", 20m), ("2028-03-26", -30m) }
            .Select(c => (DateTimeOffset.Parse(c.Item1 + "T00:00:00Z"), c.Item2));
        Assert.Equal(8.3333m, decimal.Round(Aggregations.WeightedTotal(march, 0, changes), 4));
        // 6 carried in from February, 4 more at the half: (6 × 15 + 10 × 15) / 30.
        Assert.Equal(8m, Aggregations.WeightedTotal(march, 6, [(DateTimeOffset.Parse("2028-03-16T00:00:00Z"), 4m)]));
        Assert.Equal(6m, Aggregations.WeightedTotal(march, 6, []));
    }

    [Fact]
    public void Currencies_come_from_the_ISO_list_and_round_halves_away_from_zero()
    {
        Assert.Equal("2024-06-25", Currencies.PublishedOn);
        Assert.Equal(2.35m, Currencies.Round(2.345m, "EUR"));
        Assert.Equal(-2.35m, Currencies.Round(-2.345m, "EUR"));
        Assert.Equal(3m, Currencies.Round(2.5m, "JPY"));
        Assert.Equal(1.2346m, Currencies.Round(1.23455m, "CLF"));
        Assert.False(Currencies.IsKnown("XAU"));   // gold has no minor unit: not money here
    }
}
