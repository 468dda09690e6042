using System.Net;
using System.Net.Http.Json;

namespace Codex.Billing.Tests;

/// <summary>No tenant reaches another's billing: its ids are 404 (or an unknown subscription in usage) everywhere.</summary>
public sealed class IsolationTests(BillingStack stack) : IClassFixture<BillingStack>
{
    [Fact]
    public async Task Another_tenants_ids_are_not_found_everywhere()
    {
        var owner = await stack.CreateTenantAsync();
        var other = await stack.CreateTenantAsync();
        var customer = await stack.CreateCustomerAsync(owner);
        await owner.Admin.PostOkAsync("/api/v1/billing/metrics", new { code = "calls", name = "Calls", aggregation = "count" });
        await owner.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("secret", 99m, [new { metric = "calls", model = "standard", unitPrice = 1m }]));
        var id = (await owner.Admin.PostOkAsync("/api/v1/billing/subscriptions", new { customerId = customer, planCode = "secret" })).Id();

        foreach (var path in new[]
        {
            $"/api/v1/billing/subscriptions/{id}", $"/api/v1/billing/subscriptions/{id}/changes", $"/api/v1/billing/subscriptions/{id}/usage",
            "/api/v1/billing/plans/secret", "/api/v1/billing/plans/secret/versions", "/api/v1/billing/metrics/calls",
        })
        {
            using var response = await other.Admin.GetAsync(path);
            await response.AssertProblemAsync(HttpStatusCode.NotFound);
        }
        using (var change = await other.Admin.PostAsJsonAsync($"/api/v1/billing/subscriptions/{id}/plan", new { planCode = "secret" }))
        {
            await change.AssertProblemAsync(HttpStatusCode.NotFound);
        }
        using (var cancel = await other.Admin.PostAsJsonAsync($"/api/v1/billing/subscriptions/{id}/cancel", new { atPeriodEnd = false }))
        {
            await cancel.AssertProblemAsync(HttpStatusCode.NotFound);
        }
        // The other tenant cannot subscribe the owner's customer, nor send usage for the owner's subscription.
        await other.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("secret", 1m));
        using (var subscribe = await other.Admin.PostAsJsonAsync("/api/v1/billing/subscriptions", new { customerId = customer, planCode = "secret" }))
        {
            Assert.True((await subscribe.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("customerId", out _));
        }
        await other.Admin.PostOkAsync("/api/v1/billing/metrics", new { code = "calls", name = "Calls", aggregation = "count" });
        using (var usage = await other.Admin.PostAsJsonAsync("/api/v1/billing/usage", new { events = new[] { new { transactionId = "t", metric = "calls", subscriptionId = id } } }))
        {
            Assert.True((await usage.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("events[0].subscriptionId", out _));
        }
        Assert.Empty((await other.Admin.GetOkAsync("/api/v1/billing/subscriptions")).GetProperty("items").EnumerateArray());
        Assert.Equal(0, await stack.CountAsync("usage_records", owner.Id));
        Assert.Equal(99m, (await owner.Admin.GetOkAsync("/api/v1/billing/plans/secret")).Dec("amount"));
    }

    [Fact]
    public async Task Row_level_security_hides_other_tenants_rows_from_Billing_s_own_role()
    {
        var owner = await stack.CreateTenantAsync();
        await owner.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("walled", 5m));
        await using var connection = new Npgsql.NpgsqlConnection(stack.BillingRoles.App);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM plans", connection);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);   // no tenant set: no rows
        await using var set = new Npgsql.NpgsqlCommand($"SELECT set_config('codex.tenant_id', '{owner.Id}', false)", connection);
        await set.ExecuteNonQueryAsync();
        Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
    }
}
