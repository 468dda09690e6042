using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Codex.Billing.Tests;

/// <summary>Subscriptions of CRM customers on Billing's clock: proration, trials, renewals and cancellation, worked out by hand.</summary>
public sealed class SubscriptionTests(BillingStack stack) : IClassFixture<BillingStack>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task An_upgrade_and_a_downgrade_mid_period_are_prorated_to_the_day_with_credit_notes()
    {
        var tenant = await stack.CreateTenantAsync();
        var customer = await stack.CreateCustomerAsync(tenant);
        await tenant.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("basic", 30m, entitlements: new { limits = new { users = 3 } }));
        await tenant.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("pro", 60m, entitlements: new { limits = new { users = 20 } }));

        stack.Clock.At = DateTimeOffset.Parse("2028-01-31T09:00:00Z");
        var subscription = await tenant.Admin.PostOkAsync("/api/v1/billing/subscriptions", new { customerId = customer, planCode = "basic" });
        Assert.Equal("active", subscription.Str("status"));
        Assert.Equal(DateTimeOffset.Parse("2028-02-29T09:00:00Z"), subscription.GetProperty("currentPeriodEnd").GetDateTimeOffset());
        var id = subscription.Id();

        // 15 February: 14 of the period's 29 days are left. Credit 30 × 14/29 = 14.48; charge 60 × 14/29 = 28.97.
        stack.Clock.At = DateTimeOffset.Parse("2028-02-15T10:00:00Z");
        var upgrade = await tenant.Admin.PostOkAsync($"/api/v1/billing/subscriptions/{id}/plan", new { planCode = "pro" });
        Assert.Equal((29, 14), (upgrade.GetProperty("daysInPeriod").GetInt32(), upgrade.GetProperty("daysRemaining").GetInt32()));
        Assert.Equal((14.48m, 28.97m), (upgrade.Dec("creditAmount"), upgrade.Dec("chargeAmount")));
        Assert.Equal(("basic", "pro"), (upgrade.Str("fromPlanCode"), upgrade.Str("toPlanCode")));

        // 20 February: 9 days left. Credit 60 × 9/29 = 18.62; charge 30 × 9/29 = 9.31.
        stack.Clock.At = DateTimeOffset.Parse("2028-02-20T00:00:00Z");
        var downgrade = await tenant.Admin.PostOkAsync($"/api/v1/billing/subscriptions/{id}/plan", new { planCode = "basic" });
        Assert.Equal((18.62m, 9.31m), (downgrade.Dec("creditAmount"), downgrade.Dec("chargeAmount")));

        var notes = await tenant.Admin.GetOkAsync($"/api/v1/billing/credit-notes?customerId={customer}");
        Assert.Equal([18.62m, 14.48m], notes.EnumerateArray().Select(n => n.Dec("amount")));
        Assert.All(notes.EnumerateArray(), n => Assert.Equal("plan_changed", n.Str("reason")));
        var changes = await tenant.Admin.GetOkAsync($"/api/v1/billing/subscriptions/{id}/changes");
        Assert.Equal([upgrade.Id(), downgrade.Id()], changes.EnumerateArray().Select(c => c.Id()));
        var now = await tenant.Admin.GetOkAsync($"/api/v1/billing/subscriptions/{id}");
        Assert.Equal(("basic", 30m, 3L), (now.Str("planCode"), now.Dec("amount"), now.GetProperty("entitlements").GetProperty("limits").GetProperty("users").GetInt64()));
        Assert.Equal(DateTimeOffset.Parse("2028-01-31T09:00:00Z"), now.GetProperty("currentPeriodStart").GetDateTimeOffset());

        Assert.Equal(
            ["billing.subscription.created", "billing.entitlements.changed",
             "billing.subscription.plan_changed", "billing.entitlements.changed", "billing.credit_note.issued",
             "billing.subscription.plan_changed", "billing.entitlements.changed", "billing.credit_note.issued"],
            await stack.EventTypesAsync(tenant.Id, subscriptionsOnly: true));

        // Platform's summary follows from the events: one paying subscription, MRR 30 + 30 - 30 = 30 EUR.
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
        {
            var billing = (await stack.SummaryAsync(tenant.Id)).GetProperty("billing");
            return billing.GetProperty("activeSubscriptions").GetInt64() == 1
                && billing.GetProperty("mrr").TryGetProperty("EUR", out var eur) && eur.GetDecimal() == 30m;
        }, Within), "Platform's summary never showed the subscription");
    }

    [Fact]
    public async Task A_trial_ends_a_period_renews_and_a_cancellation_at_period_end_ends_it_there()
    {
        var tenant = await stack.CreateTenantAsync();
        var customer = await stack.CreateCustomerAsync(tenant);
        await tenant.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("team", 20m, trialDays: 14));

        stack.Clock.At = DateTimeOffset.Parse("2028-01-31T09:00:00Z");
        var created = await tenant.Admin.PostOkAsync("/api/v1/billing/subscriptions", new { customerId = customer, planCode = "team" });
        Assert.Equal("trialing", created.Str("status"));
        Assert.Equal(DateTimeOffset.Parse("2028-02-14T09:00:00Z"), created.GetProperty("trialEndsAt").GetDateTimeOffset());
        var id = created.Id();

        stack.Clock.At = DateTimeOffset.Parse("2028-02-14T09:00:01Z");
        await WaitForAsync(tenant, id, s => s.Str("status") == "active");

        stack.Clock.At = DateTimeOffset.Parse("2028-02-29T09:00:01Z");
        var renewed = await WaitForAsync(tenant, id, s => s.GetProperty("currentPeriodStart").GetDateTimeOffset() == DateTimeOffset.Parse("2028-02-29T09:00:00Z"));
        Assert.Equal(DateTimeOffset.Parse("2028-03-31T09:00:00Z"), renewed.GetProperty("currentPeriodEnd").GetDateTimeOffset());

        var cancelled = await tenant.Admin.PostOkAsync($"/api/v1/billing/subscriptions/{id}/cancel", new { atPeriodEnd = true });
        Assert.Equal(("active", true), (cancelled.Str("status"), cancelled.GetProperty("cancelAtPeriodEnd").GetBoolean()));
        await tenant.Admin.PostOkAsync($"/api/v1/billing/subscriptions/{id}/cancel", new { atPeriodEnd = true });   // asked again: no second event

        stack.Clock.At = DateTimeOffset.Parse("2028-03-31T09:00:00Z");
        var ended = await WaitForAsync(tenant, id, s => s.Str("status") == "cancelled");
        Assert.Equal(DateTimeOffset.Parse("2028-03-31T09:00:00Z"), ended.GetProperty("endedAt").GetDateTimeOffset());
        Assert.Equal(0, await stack.CountAsync("credit_notes", tenant.Id));   // it ran the period it paid for

        Assert.Equal(
            ["billing.subscription.created", "billing.entitlements.changed", "billing.subscription.trial_ended", "billing.subscription.renewed",
             "billing.subscription.cancelled", "billing.subscription.ended", "billing.entitlements.changed"],
            await stack.EventTypesAsync(tenant.Id, subscriptionsOnly: true));
        using var change = await tenant.Admin.PostAsJsonAsync($"/api/v1/billing/subscriptions/{id}/plan", new { planCode = "team" });
        await change.AssertProblemAsync(HttpStatusCode.Conflict, "subscription_cancelled");
    }

    [Fact]
    public async Task Cancelling_at_once_credits_the_unused_days()
    {
        var tenant = await stack.CreateTenantAsync();
        var customer = await stack.CreateCustomerAsync(tenant);
        await tenant.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("solo", 30m));
        stack.Clock.At = DateTimeOffset.Parse("2027-01-31T00:00:00Z");
        var id = (await tenant.Admin.PostOkAsync("/api/v1/billing/subscriptions", new { customerId = customer, planCode = "solo" })).Id();

        // 14 February 2027: 14 of February's 28 days unused, so 15.00 back.
        stack.Clock.At = DateTimeOffset.Parse("2027-02-14T12:00:00Z");
        var cancelled = await tenant.Admin.PostOkAsync($"/api/v1/billing/subscriptions/{id}/cancel", new { atPeriodEnd = false });
        Assert.Equal("cancelled", cancelled.Str("status"));
        Assert.Equal(stack.Clock.At, cancelled.GetProperty("endedAt").GetDateTimeOffset());
        var note = Assert.Single((await tenant.Admin.GetOkAsync("/api/v1/billing/credit-notes")).EnumerateArray());
        Assert.Equal((15.00m, "cancelled", "EUR"), (note.Dec("amount"), note.Str("reason"), note.Str("currency")));
        var entitlements = await stack.BillingScalarAsync<string>(
            "SELECT envelope::text FROM outbox_messages WHERE tenant_id = @t AND event_type = 'billing.entitlements.changed' ORDER BY sequence DESC LIMIT 1", ("t", tenant.Id));
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(entitlements).RootElement.GetProperty("data").GetProperty("planCode").ValueKind);
    }

    [Fact]
    public async Task Bad_subscription_requests_are_refused_and_nothing_is_written()
    {
        var tenant = await stack.CreateTenantAsync();
        var customer = await stack.CreateCustomerAsync(tenant);
        await tenant.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("eur", 10m));
        await tenant.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("usd", 10m, currency: "USD"));
        stack.Clock.At = null;

        using (var unknown = await tenant.Admin.PostAsJsonAsync("/api/v1/billing/subscriptions", new { customerId = Guid.NewGuid(), planCode = "eur" }))
        {
            Assert.True((await unknown.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("customerId", out _));
        }
        using (var plan = await tenant.Admin.PostAsJsonAsync("/api/v1/billing/subscriptions", new { customerId = customer, planCode = "gold" }))
        {
            await plan.AssertProblemAsync(HttpStatusCode.NotFound, "plan_not_found");
        }
        using (var future = await tenant.Admin.PostAsJsonAsync("/api/v1/billing/subscriptions", new { customerId = customer, planCode = "eur", startAt = DateTimeOffset.UtcNow.AddDays(3) }))
        {
            Assert.True((await future.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("startAt", out _));
        }
        Assert.Equal(0, await stack.CountAsync("subscriptions", tenant.Id));

        var id = (await tenant.Admin.PostOkAsync("/api/v1/billing/subscriptions", new { customerId = customer, planCode = "eur" })).Id();
        using (var currency = await tenant.Admin.PostAsJsonAsync($"/api/v1/billing/subscriptions/{id}/plan", new { planCode = "usd" }))
        {
            Assert.True((await currency.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("planCode", out _));
        }
        using (var same = await tenant.Admin.PostAsJsonAsync($"/api/v1/billing/subscriptions/{id}/plan", new { planCode = "eur" }))
        {
            await same.AssertProblemAsync(HttpStatusCode.Conflict, "plan_unchanged");
        }
        Assert.Equal(0, await stack.CountAsync("subscription_changes", tenant.Id));
        Assert.Equal(0, await stack.CountAsync("credit_notes", tenant.Id));
        Assert.Equal(2, (await stack.EventTypesAsync(tenant.Id, subscriptionsOnly: true)).Count);   // created and its entitlements only
    }

    private static async Task<JsonElement> WaitForAsync(ProvisionedTenant tenant, Guid id, Func<JsonElement, bool> condition)
    {
        JsonElement last = default;
        var reached = await TestInfrastructure.EventuallyAsync(async () => condition(last = await tenant.Admin.GetOkAsync($"/api/v1/billing/subscriptions/{id}")), Within);
        Assert.True(reached, $"the renewal job never got there: {last}");
        return last;
    }
}
