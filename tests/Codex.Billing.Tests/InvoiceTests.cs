using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Codex.Billing.Tests;

/// <summary>Invoices on Billing's clock: composed, finalized without gaps, collected, dunned; figures worked out by hand.</summary>
public sealed class InvoiceTests(BillingStack stack) : IClassFixture<BillingStack>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_renewal_invoice_bills_fixed_ahead_usage_behind_the_plan_change_discount_tax_and_credit()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.SettingsAsync(taxRate: 0.2m, prefix: "ACME", draftHours: 24);
        var customer = await stack.CreateCustomerAsync(tenant);
        await tenant.Admin.PostOkAsync("/api/v1/billing/metrics", new { code = "calls", name = "API calls", aggregation = "count" });
        object[] calls = [new { metric = "calls", model = "standard", unitPrice = 0.10m }];
        await tenant.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("pro", 30m, calls));
        await tenant.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("max", 60m, calls));

        stack.Clock.At = DateTimeOffset.Parse("2028-01-31T09:00:00Z");
        var subscription = (await tenant.Admin.PostOkAsync("/api/v1/billing/subscriptions", new { customerId = customer, planCode = "pro", discountPercent = 10 })).Id();
        // The first period's 30.00 in advance: 10 % off is 3.00, 20 % tax on 27.00 is 5.40, so 32.40.
        var first = Assert.Single(await InvoicesAsync(tenant, subscription));
        Assert.Equal(("draft", JsonValueKind.Null), (first.Str("status"), first.GetProperty("number").ValueKind));
        var issued = await tenant.Admin.PostOkAsync($"/api/v1/billing/invoices/{first.Id()}/finalize", new { });
        Assert.Equal(("ACME-000001", 30m, 3m, 5.40m, 32.40m), (issued.Str("number"), issued.Dec("subtotal"), issued.Dec("discount"), issued.Dec("tax"), issued.Dec("total")));
        await WaitForInvoiceAsync(tenant, first.Id(), "paid");   // the local provider collects it

        stack.Clock.At = DateTimeOffset.Parse("2028-02-10T00:00:00Z");
        await SendCallsAsync(tenant, subscription, 25, "2028-02-0");
        // 15 February: up to max, 14 of 29 days left: credit note 14.48, charge 28.97 for the next invoice.
        stack.Clock.At = DateTimeOffset.Parse("2028-02-15T10:00:00Z");
        await tenant.Admin.PostOkAsync($"/api/v1/billing/subscriptions/{subscription}/plan", new { planCode = "max" });

        // The renewal drafts February's invoice; a call made on the 28th still arrives in the draft window.
        stack.Clock.At = DateTimeOffset.Parse("2028-02-29T09:00:01Z");
        var draft = await WaitForAsync(async () => (await InvoicesAsync(tenant, subscription)).Where(i => i.Str("status") == "draft").Cast<JsonElement?>().FirstOrDefault());
        await SendCallsAsync(tenant, subscription, 1, "2028-02-28", prefix: "late");
        var renewal = await tenant.Admin.PostOkAsync($"/api/v1/billing/invoices/{draft.Id()}/finalize", new { });
        // fixed 60.00 (29 Feb – 31 Mar) + usage 26 × 0.10 = 2.60 + proration 28.97 = 91.57; discount 9.157 → 9.16;
        // tax 20 % of 82.41 = 16.482 → 16.48; credit 14.48. Total 91.57 - 9.16 + 16.48 - 14.48 = 84.41.
        Assert.Equal("ACME-000002", renewal.Str("number"));
        var lines = renewal.GetProperty("lines").EnumerateArray().Select(l => (l.Str("kind"), l.Dec("amount"))).ToList();
        Assert.Equal([("fixed", 60m), ("usage", 2.60m), ("proration", 28.97m), ("discount", -9.16m), ("tax", 16.48m), ("credit", -14.48m)], lines);
        Assert.Equal((91.57m, 9.16m, 16.48m, 14.48m, 84.41m),
            (renewal.Dec("subtotal"), renewal.Dec("discount"), renewal.Dec("tax"), renewal.Dec("creditApplied"), renewal.Dec("total")));
        Assert.Equal(0m, Assert.Single((await tenant.Admin.GetOkAsync("/api/v1/billing/credit-notes")).EnumerateArray()).Dec("remaining"));

        // The PDF of the issued invoice.
        using var pdf = await tenant.Admin.GetAsync($"/api/v1/billing/invoices/{renewal.Id()}/pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ACME-000002.pdf", pdf.Content.Headers.ContentDisposition?.FileName);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.Length > 1000 && System.Text.Encoding.ASCII.GetString(bytes, 0, 5) == "%PDF-", "not a PDF");

        // Finalized is final: a second finalize is refused, and the version the invoice was made with never changes it.
        using var again = await tenant.Admin.PostAsJsonAsync($"/api/v1/billing/invoices/{renewal.Id()}/finalize", new { });
        await again.AssertProblemAsync(HttpStatusCode.Conflict, "invoice_not_draft");
        await tenant.Admin.PutOkAsync("/api/v1/billing/plans/max", new { name = "Max", amount = 99m, currency = "EUR", interval = "month", charges = calls });
        Assert.Equal(84.41m, (await tenant.Admin.GetOkAsync($"/api/v1/billing/invoices/{renewal.Id()}")).Dec("total"));
    }

    [Fact]
    public async Task Numbers_have_no_gaps_when_drafts_are_finalized_at_once()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.SettingsAsync(draftHours: 48);
        await tenant.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("seat", 5m));
        stack.Clock.At = DateTimeOffset.Parse("2028-06-01T00:00:00Z");
        var drafts = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            var customer = await stack.CreateCustomerAsync(tenant, $"Customer {i}");
            var subscription = (await tenant.Admin.PostOkAsync("/api/v1/billing/subscriptions", new { customerId = customer, planCode = "seat" })).Id();
            drafts.Add(Assert.Single(await InvoicesAsync(tenant, subscription)).Id());
        }
        var finalized = await Task.WhenAll(drafts.Select(async id =>
        {
            using var response = await tenant.Admin.PostAsJsonAsync($"/api/v1/billing/invoices/{id}/finalize", new { });
            return (await response.ReadAsync<JsonElement>()).Str("number");
        }));
        Assert.Equal(Enumerable.Range(1, 8).Select(n => $"INV-{n:D6}"), finalized.Order());
    }

    [Fact]
    public async Task Failed_payments_are_retried_on_schedule_then_the_subscription_is_past_due_and_cancelled()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.SettingsAsync(retryDays: [1, 2], cancelAfterDays: 3);
        var customer = await stack.CreateCustomerAsync(tenant);
        await tenant.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("team", 20m));
        stack.Payments.QueueOutcomes(customer, false, false, false);
        var start = DateTimeOffset.Parse("2028-05-10T00:00:00Z");
        stack.Clock.At = start;
        var subscription = (await tenant.Admin.PostOkAsync("/api/v1/billing/subscriptions", new { customerId = customer, planCode = "team" })).Id();

        var invoice = (await WaitForAsync(async () => (await InvoicesAsync(tenant, subscription)).Where(i => Attempts(i) == 1).Cast<JsonElement?>().FirstOrDefault())).Id();
        Assert.Equal(start.AddDays(1), (await tenant.Admin.GetOkAsync($"/api/v1/billing/invoices/{invoice}")).GetProperty("nextPaymentAt").GetDateTimeOffset());
        stack.Clock.At = start.AddDays(1);
        await WaitForAsync(async () => await tenant.Admin.GetOkAsync($"/api/v1/billing/invoices/{invoice}") is var i && Attempts(i) == 2 ? i : null);
        stack.Clock.At = start.AddDays(3);
        var pastDue = await WaitForSubscriptionAsync(tenant, subscription, "past_due");
        Assert.Equal("open", (await tenant.Admin.GetOkAsync($"/api/v1/billing/invoices/{invoice}")).Str("status"));
        Assert.Equal(3, (await tenant.Admin.GetOkAsync($"/api/v1/billing/invoices/{invoice}/payments")).EnumerateArray().Count(p => p.Str("status") == "failed"));
        Assert.Equal("past_due", pastDue.Str("status"));

        stack.Clock.At = start.AddDays(6);
        var ended = await WaitForSubscriptionAsync(tenant, subscription, "cancelled");
        Assert.Equal(start.AddDays(6), ended.GetProperty("endedAt").GetDateTimeOffset());
        Assert.Equal("uncollectible", (await tenant.Admin.GetOkAsync($"/api/v1/billing/invoices/{invoice}")).Str("status"));
        var types = await stack.EventTypesAsync(tenant.Id);
        Assert.Equal(3, types.Count(t => t == "billing.payment.failed"));
        Assert.Equal(
            ["billing.subscription.past_due", "billing.subscription.ended", "billing.entitlements.changed", "billing.invoice.uncollectible"],
            types.SkipWhile(t => t != "billing.subscription.past_due").Where(t => t != "billing.payment.failed"));
    }

    [Fact]
    public async Task A_past_due_subscription_is_active_again_once_its_invoice_is_paid()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.SettingsAsync(retryDays: [], cancelAfterDays: 10);
        var customer = await stack.CreateCustomerAsync(tenant);
        await tenant.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("team", 20m));
        stack.Payments.QueueOutcomes(customer, false);
        stack.Clock.At = DateTimeOffset.Parse("2028-07-01T00:00:00Z");
        var subscription = (await tenant.Admin.PostOkAsync("/api/v1/billing/subscriptions", new { customerId = customer, planCode = "team" })).Id();
        await WaitForSubscriptionAsync(tenant, subscription, "past_due");   // no retries configured: the first failure is the last

        var invoice = Assert.Single(await InvoicesAsync(tenant, subscription));
        await tenant.Admin.PostOkAsync($"/api/v1/billing/invoices/{invoice.Id()}/retry-payment", new { });
        await WaitForInvoiceAsync(tenant, invoice.Id(), "paid");
        await WaitForSubscriptionAsync(tenant, subscription, "active");
        Assert.Contains("billing.subscription.reactivated", await stack.EventTypesAsync(tenant.Id));
    }

    [Fact]
    public async Task Voiding_gives_the_credit_back_and_bad_settings_change_nothing()
    {
        var tenant = await stack.CreateTenantAsync();
        var customer = await stack.CreateCustomerAsync(tenant);
        await tenant.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("solo", 30m));
        // A month cancelled halfway leaves a 15.00 credit note (28-day February).
        stack.Clock.At = DateTimeOffset.Parse("2027-01-31T00:00:00Z");
        var first = (await tenant.Admin.PostOkAsync("/api/v1/billing/subscriptions", new { customerId = customer, planCode = "solo" })).Id();
        await WaitForInvoiceAsync(tenant, Assert.Single(await InvoicesAsync(tenant, first)).Id(), "paid");
        stack.Clock.At = DateTimeOffset.Parse("2027-02-14T12:00:00Z");
        await tenant.Admin.PostOkAsync($"/api/v1/billing/subscriptions/{first}/cancel", new { atPeriodEnd = false });

        await tenant.Admin.SettingsAsync(draftHours: 1);
        stack.Payments.QueueOutcomes(customer, false, false, false, false);
        var second = (await tenant.Admin.PostOkAsync("/api/v1/billing/subscriptions", new { customerId = customer, planCode = "solo" })).Id();
        var draft = Assert.Single(await InvoicesAsync(tenant, second));
        var open = await tenant.Admin.PostOkAsync($"/api/v1/billing/invoices/{draft.Id()}/finalize", new { });
        Assert.Equal((15m, 15m), (open.Dec("creditApplied"), open.Dec("total")));
        var voided = await tenant.Admin.PostOkAsync($"/api/v1/billing/invoices/{draft.Id()}/void", new { });
        Assert.Equal("void", voided.Str("status"));
        Assert.Equal(15m, Assert.Single((await tenant.Admin.GetOkAsync("/api/v1/billing/credit-notes")).EnumerateArray()).Dec("remaining"));
        using var twice = await tenant.Admin.PostAsJsonAsync($"/api/v1/billing/invoices/{draft.Id()}/void", new { });
        await twice.AssertProblemAsync(HttpStatusCode.Conflict, "invoice_not_open");

        using var bad = await tenant.Admin.PutAsJsonAsync("/api/v1/billing/settings",
            new { taxRate = 1.5m, invoicePrefix = "lower case", draftHours = -1, retryDays = new[] { 0 }, cancelAfterDays = 365 });
        var errors = (await bad.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.Equal(["cancelAfterDays", "draftHours", "invoicePrefix", "retryDays", "taxRate"], errors.EnumerateObject().Select(e => e.Name).Order());
        Assert.Equal(1, (await tenant.Admin.GetOkAsync("/api/v1/billing/settings")).GetProperty("draftHours").GetInt32());
    }

    private static int Attempts(JsonElement invoice) => invoice.GetProperty("paymentAttempts").GetInt32();

    private static async Task<List<JsonElement>> InvoicesAsync(ProvisionedTenant tenant, Guid subscription) =>
        (await tenant.Admin.GetOkAsync($"/api/v1/billing/invoices?subscriptionId={subscription}")).GetProperty("items").EnumerateArray().ToList();

    private async Task SendCallsAsync(ProvisionedTenant tenant, Guid subscription, int count, string day, string prefix = "call")
    {
        var events = Enumerable.Range(0, count).Select(i => new
        {
            transactionId = $"{prefix}-{subscription:N}-{i}", metric = "calls", subscriptionId = subscription,
            timestamp = DateTimeOffset.Parse((day.Length == 10 ? day : $"{day}{1 + i % 9}") + "T12:00:00Z"),
        }).ToArray();
        await tenant.Admin.PostOkAsync("/api/v1/billing/usage", new { events });
    }

    private static async Task<JsonElement> WaitForAsync(Func<Task<JsonElement?>> find)
    {
        JsonElement? found = null;
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => (found = await find()) is not null, Within), "the scheduler never got there");
        return found!.Value;
    }

    private static Task<JsonElement> WaitForInvoiceAsync(ProvisionedTenant tenant, Guid id, string status) =>
        WaitForAsync(async () => await tenant.Admin.GetOkAsync($"/api/v1/billing/invoices/{id}") is var i && i.Str("status") == status ? i : null);

    private static Task<JsonElement> WaitForSubscriptionAsync(ProvisionedTenant tenant, Guid id, string status) =>
        WaitForAsync(async () => await tenant.Admin.GetOkAsync($"/api/v1/billing/subscriptions/{id}") is var s && s.Str("status") == status ? s : null);
}
