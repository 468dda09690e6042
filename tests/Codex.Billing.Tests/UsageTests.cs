using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Codex.Billing.Tests;

/// <summary>Usage ingest (idempotent, all or nothing) and every aggregation, priced, against a table worked out by hand.</summary>
public sealed class UsageTests(BillingStack stack) : IClassFixture<BillingStack>
{
    private static readonly DateTimeOffset March = DateTimeOffset.Parse("2028-03-01T00:00:00Z");

    [Fact]
    public async Task Each_aggregation_prices_the_period_and_a_late_event_lands_in_its_own_period()
    {
        var tenant = await stack.CreateTenantAsync();
        var (subscription, customer) = await MeteredSubscriptionAsync(tenant);
        using var meter = stack.GatewayClient(key: await tenant.NewKeyAsync("billing.usage.write"));

        stack.Clock.At = DateTimeOffset.Parse("2028-03-20T00:00:00Z");
        var first = await meter.PostOkAsync("/api/v1/billing/usage", new
        {
            events = new object[]
            {
                Event("c1", "calls", subscription, "2028-03-02"),
                Event("c2", "calls", subscription, "2028-03-03"),
                Event("c2", "calls", subscription, "2028-03-03"),            // the same transaction twice in one batch
                Event("b1", "bytes", subscription, "2028-03-04", new { bytes = 500 }),
                Event("b2", "bytes", subscription, "2028-03-05", new { bytes = 700 }),
                Event("s1", "seats", subscription, "2028-03-02", new { seats = 3 }),
                Event("s2", "seats", subscription, "2028-03-06", new { seats = 7 }),
                Event("s3", "seats", subscription, "2028-03-08", new { seats = 5 }),
                Event("u1", "users", subscription, "2028-03-02", new { user = "ada" }),
                Event("u2", "users", subscription, "2028-03-03", new { user = "bob" }),
                Event("u3", "users", subscription, "2028-03-04", new { user = "ada" }),
                Event("u4", "users", subscription, "2028-03-05", new { user = 42 }),
                Event("v1", "version", subscription, "2028-03-02", new { v = 1 }),
                Event("v2", "version", subscription, "2028-03-10", new { v = 4 }),
                Event("v3", "version", subscription, "2028-03-05", new { v = 2 }),   // sent last, happened earlier
                Event("g1", "storage", subscription, "2028-03-01T00:00:00Z", new { gb = 10 }),
                Event("g2", "storage", subscription, "2028-03-17T00:00:00Z", new { gb = 31 }),
            },
        });
        Assert.Equal((16, 1), (first.GetProperty("accepted").GetInt32(), first.GetProperty("duplicates").GetInt32()));
        // The customer's one live subscription may stand for it; c1 resent counts once.
        var second = await meter.PostOkAsync("/api/v1/billing/usage", new
        {
            events = new object[] { Event("c1", "calls", subscription, "2028-03-02"), new { transactionId = "c3", metric = "calls", customerId = customer, timestamp = "2028-03-09T00:00:00Z" } },
        });
        Assert.Equal((1, 1), (second.GetProperty("accepted").GetInt32(), second.GetProperty("duplicates").GetInt32()));

        // calls: count 3 × 0.01 = 0.03 · bytes: sum 1200, packages of 1000 at 1 → 2 · seats: max 7, volume tier 2 at 8 → 56
        // users: unique 3 (ada, bob, 42), graduated 2 free then 5 → 5 · version: latest by time 4 × 1 → 4
        // storage: 10 GB all 31 days of March + 31 GB for its last 15 → 10 + 15 = 25, × 2 → 50. Total 117.03.
        var report = await tenant.Admin.GetOkAsync($"/api/v1/billing/subscriptions/{subscription}/usage");
        var lines = report.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.Str("metric"), m => (m.Dec("units"), m.Dec("amount")));
        Assert.Equal((3m, 0.03m), lines["calls"]);
        Assert.Equal((1200m, 2m), lines["bytes"]);
        Assert.Equal((7m, 56m), lines["seats"]);
        Assert.Equal((3m, 5m), lines["users"]);
        Assert.Equal((4m, 4m), lines["version"]);
        Assert.Equal((25m, 50m), lines["storage"]);
        Assert.Equal(117.03m, report.Dec("total"));
        Assert.Equal(March, report.GetProperty("periodStart").GetDateTimeOffset());

        // April: the period renews; a call made on 31 March arrives late and counts for March, not April.
        stack.Clock.At = DateTimeOffset.Parse("2028-04-02T00:00:00Z");
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            (await tenant.Admin.GetOkAsync($"/api/v1/billing/subscriptions/{subscription}")).GetProperty("currentPeriodStart").GetDateTimeOffset() == March.AddMonths(1),
            TimeSpan.FromSeconds(15)));
        await meter.PostOkAsync("/api/v1/billing/usage", new { events = new[] { Event("late", "calls", subscription, "2028-03-31T23:59:00Z") } });
        var marchAgain = await tenant.Admin.GetOkAsync($"/api/v1/billing/subscriptions/{subscription}/usage?at=2028-03-15T00:00:00Z");
        Assert.Equal(4m, marchAgain.GetProperty("metrics").EnumerateArray().Single(m => m.Str("metric") == "calls").Dec("units"));
        var april = await tenant.Admin.GetOkAsync($"/api/v1/billing/subscriptions/{subscription}/usage");
        Assert.Equal(0m, april.GetProperty("metrics").EnumerateArray().Single(m => m.Str("metric") == "calls").Dec("units"));
        // Storage carries over: 10 + 31 held all of April.
        Assert.Equal(41m, april.GetProperty("metrics").EnumerateArray().Single(m => m.Str("metric") == "storage").Dec("units"));

        // Finalized, March's invoice bills the late call too (0.04), and from then on March takes no more usage.
        var draft = Assert.Single((await tenant.Admin.GetOkAsync($"/api/v1/billing/invoices?subscriptionId={subscription}&status=draft")).GetProperty("items").EnumerateArray());
        var issued = await tenant.Admin.PostOkAsync($"/api/v1/billing/invoices/{draft.Id()}/finalize", new { });
        Assert.Equal(117.04m, issued.Dec("total"));
        using var tooLate = await meter.PostAsJsonAsync("/api/v1/billing/usage", new { events = new[] { Event("later", "calls", subscription, "2028-03-30") } });
        var errors = (await tooLate.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Contains(issued.Str("number"), errors.GetProperty("events[0].timestamp")[0].GetString());
    }

    [Fact]
    public async Task A_batch_with_one_bad_event_is_refused_whole_with_every_error_named()
    {
        var tenant = await stack.CreateTenantAsync();
        var (subscription, _) = await MeteredSubscriptionAsync(tenant);
        stack.Clock.At = DateTimeOffset.Parse("2028-03-20T00:00:00Z");

        using var response = await tenant.Admin.PostAsJsonAsync("/api/v1/billing/usage", new
        {
            events = new object[]
            {
                Event("ok", "calls", subscription, "2028-03-02"),
                Event("x1", "nope", subscription, "2028-03-02"),
                Event("x2", "bytes", subscription, "2028-03-02", new { bytes = "many" }),
                Event("x3", "calls", Guid.NewGuid(), "2028-03-02"),
                Event("x4", "calls", subscription, "2028-02-01"),              // before the subscription started
                Event("x5", "calls", subscription, "2028-03-25"),              // in the future
                new { metric = "calls", subscriptionId = subscription },         // no transaction id
            },
        });
        var errors = (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        foreach (var field in new[] { "events[1].metric", "events[2].properties.bytes", "events[3].subscriptionId", "events[4].timestamp", "events[5].timestamp", "events[6].transactionId" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
        Assert.False(errors.TryGetProperty("events[0].metric", out _));
        Assert.Equal(0, await stack.CountAsync("usage_records", tenant.Id));

        using var tooMany = await tenant.Admin.PostAsJsonAsync("/api/v1/billing/usage",
            new { events = Enumerable.Range(0, 101).Select(i => Event($"n{i}", "calls", subscription, "2028-03-02")).ToArray() });
        await tooMany.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(0, await stack.CountAsync("usage_records", tenant.Id));

        // A metering key sends usage and reads nothing else.
        using var meter = stack.GatewayClient(key: await tenant.NewKeyAsync("billing.usage.write"));
        using var plans = await meter.GetAsync("/api/v1/billing/plans");
        await plans.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    private async Task<(Guid Subscription, Guid Customer)> MeteredSubscriptionAsync(ProvisionedTenant tenant)
    {
        // A day's draft window: the ended period's invoice waits for late usage.
        await tenant.Admin.SettingsAsync(draftHours: 24);
        var customer = await stack.CreateCustomerAsync(tenant);
        foreach (var (code, aggregation, field) in new[]
        {
            ("calls", "count", null), ("bytes", "sum", "bytes"), ("seats", "max", "seats"), ("users", "unique_count", "user"), ("version", "latest", "v"),
            ("storage", "weighted_sum", "gb"),
        })
        {
            await tenant.Admin.PostOkAsync("/api/v1/billing/metrics", new { code, name = code, aggregation, field });
        }
        await tenant.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("metered", 0m,
        [
            new { metric = "calls", model = "standard", unitPrice = 0.01m },
            new { metric = "bytes", model = "package", packageSize = 1000, packagePrice = 1m },
            new { metric = "seats", model = "volume", tiers = new object[] { new { upTo = 5, unitPrice = 10m }, new { unitPrice = 8m } } },
            new { metric = "users", model = "graduated", tiers = new object[] { new { upTo = 2, unitPrice = 0m }, new { unitPrice = 5m } } },
            new { metric = "version", model = "standard", unitPrice = 1m },
            new { metric = "storage", model = "standard", unitPrice = 2m },
        ]));
        stack.Clock.At = March;
        var subscription = await tenant.Admin.PostOkAsync("/api/v1/billing/subscriptions", new { customerId = customer, planCode = "metered" });
        return (subscription.Id(), customer);
    }

    private static object Event(string transactionId, string metric, Guid subscription, string at, object? properties = null) => new
    {
        transactionId, metric, subscriptionId = subscription, timestamp = at.Contains('T') ? DateTimeOffset.Parse(at) : DateTimeOffset.Parse(at + "T12:00:00Z"), properties,
    };
}
