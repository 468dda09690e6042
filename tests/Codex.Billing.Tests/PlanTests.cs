using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Codex.Billing.Tests;

/// <summary>Billable metrics and versioned plans through the gateway.</summary>
public sealed class PlanTests(BillingStack stack) : IClassFixture<BillingStack>
{
    [Fact]
    public async Task A_revised_plan_is_a_new_version_and_the_old_one_stays_as_it_was()
    {
        var tenant = await stack.CreateTenantAsync();
        var metric = await tenant.Admin.PostOkAsync("/api/v1/billing/metrics", new { code = "api_calls", name = "API calls", aggregation = "count" });
        Assert.Equal("count", metric.Str("aggregation"));
        var charge = new { metric = "api_calls", model = "graduated", tiers = new object[] { new { upTo = 1000, unitPrice = 0 }, new { unitPrice = 0.002m } } };
        var v1 = await tenant.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("pro", 49m, [charge], trialDays: 14,
            entitlements: new { limits = new { api_calls_per_minute = 600, users = 10 }, features = new { sso = true } }));
        Assert.Equal(1, v1.GetProperty("version").GetInt32());
        Assert.Equal(600, v1.GetProperty("entitlements").GetProperty("limits").GetProperty("api_calls_per_minute").GetInt64());

        var v2 = await tenant.Admin.PutOkAsync("/api/v1/billing/plans/pro", new { name = "Pro", amount = 59m, currency = "EUR", interval = "month", charges = new[] { charge } });
        Assert.Equal(2, v2.GetProperty("version").GetInt32());
        Assert.Equal(59m, v2.Dec("amount"));

        Assert.Equal(59m, (await tenant.Admin.GetOkAsync("/api/v1/billing/plans/pro")).Dec("amount"));
        var first = await tenant.Admin.GetOkAsync("/api/v1/billing/plans/pro?version=1");
        Assert.Equal(49m, first.Dec("amount"));
        Assert.Equal(14, first.GetProperty("trialDays").GetInt32());
        Assert.True(first.GetProperty("entitlements").GetProperty("features").GetProperty("sso").GetBoolean());
        var versions = await tenant.Admin.GetOkAsync("/api/v1/billing/plans/pro/versions");
        Assert.Equal([2, 1], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        var list = await tenant.Admin.GetOkAsync("/api/v1/billing/plans");
        Assert.Equal(2, Assert.Single(list.EnumerateArray()).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Bad_terms_are_refused_field_by_field_and_nothing_is_written()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.PostOkAsync("/api/v1/billing/metrics", new { code = "storage", name = "Storage", aggregation = "weighted_sum", field = "gb" });
        var bad = new
        {
            code = "bad",
            name = "Bad",
            amount = 9.999m,               // EUR has two decimals
            currency = "EUR",
            interval = "week",
            trialDays = -1,
            charges = new object[]
            {
                new { metric = "storage", model = "graduated", tiers = new object[] { new { upTo = 100, unitPrice = 1 }, new { upTo = 50, unitPrice = 1 } } },
                new { metric = "nope", model = "standard", unitPrice = -1 },
                new { metric = "storage", model = "package", packageSize = 0, packagePrice = 1.001m },
            },
            entitlements = new { limits = new { api_calls_per_minute = -5, wishes = 3 }, features = new Dictionary<string, bool> { ["Bad Flag"] = true } },
        };
        using var response = await tenant.Admin.PostAsJsonAsync("/api/v1/billing/plans", bad);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var errors = problem.GetProperty("errors");
        foreach (var field in new[]
        {
            "amount", "interval", "trialDays", "charges[0].tiers[1].upTo", "charges[1].metric", "charges[1].unitPrice", "charges[2].metric",
            "charges[2].packageSize", "charges[2].packagePrice", "entitlements.limits.api_calls_per_minute", "entitlements.limits.wishes",
            "entitlements.features.Bad Flag",
        })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
        Assert.Equal(0, await stack.CountAsync("plans", tenant.Id));
        Assert.Equal(0, await stack.CountAsync("plan_versions", tenant.Id));

        using var metric = await tenant.Admin.PostAsJsonAsync("/api/v1/billing/metrics", new { code = "seats", name = "Seats", aggregation = "max" });
        Assert.True((await metric.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("field", out _));
        using var duplicate = await tenant.Admin.PostAsJsonAsync("/api/v1/billing/metrics", new { code = "storage", name = "Again", aggregation = "count" });
        await duplicate.AssertProblemAsync(HttpStatusCode.Conflict, "duplicate_metric");
        Assert.Equal(1, await stack.CountAsync("billable_metrics", tenant.Id));
    }

    [Fact]
    public async Task A_plan_code_is_taken_once_and_a_revision_cannot_rename_it()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("basic", 10m));
        using var again = await tenant.Admin.PostAsJsonAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("basic", 12m));
        await again.AssertProblemAsync(HttpStatusCode.Conflict, "duplicate_plan");
        using var rename = await tenant.Admin.PutAsJsonAsync("/api/v1/billing/plans/basic", BillingCalls.MonthlyPlan("other", 12m));
        await rename.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        using var missing = await tenant.Admin.GetAsync("/api/v1/billing/plans/basic?version=7");
        await missing.AssertProblemAsync(HttpStatusCode.NotFound, "plan_version_not_found");
        Assert.Equal(1, await stack.CountAsync("plan_versions", tenant.Id));
    }
}
