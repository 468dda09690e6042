using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Codex.Billing.Webhooks;

namespace Codex.Billing.Tests;

/// <summary>Outbound billing webhooks: signed, retried with backoff, dead-lettered per endpoint, replayable.</summary>
public sealed class WebhookTests(BillingStack stack) : IClassFixture<BillingStack>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Deliveries_verify_with_a_reference_HMAC_and_a_receiver_that_was_down_gets_them_later()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailNext(2);
        var tenant = await stack.CreateTenantAsync();
        var endpoint = await tenant.Admin.PostOkAsync("/api/v1/billing/webhooks", new { url = receiver.Url, events = new[] { "invoice.*", "subscription.*" } });
        var secret = endpoint.Str("secret");
        Assert.StartsWith("whsec_", secret);
        var customer = await stack.CreateCustomerAsync(tenant);
        await tenant.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("basic", 10m));
        var subscription = (await tenant.Admin.PostOkAsync("/api/v1/billing/subscriptions", new { customerId = customer, planCode = "basic" })).Id();

        // Created, then the first invoice issued and paid by the local provider: three events, the first two refused once each.
        Assert.True(await TestInfrastructure.EventuallyAsync(() => Task.FromResult(receiver.Received.Count >= 3), Within), "the receiver never got the events");
        var received = receiver.Received.ToList();
        Assert.Equal(["invoice.issued", "invoice.paid", "subscription.created"], received.Select(r => r.Headers["Codex-Event-Type"].ToString()).Order());
        foreach (var (headers, body) in received)
        {
            // The reference: HMAC-SHA256 under the secret over "<t>.<body>", hex, as the README tells receivers.
            var parts = headers[WebhookSignature.Header].ToString().Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{parts["t"]}.{body}")));
            Assert.Equal(expected, parts["v1"]);
            var signedAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts["t"], CultureInfo.InvariantCulture));
            Assert.True((DateTimeOffset.UtcNow - signedAt).Duration() < TimeSpan.FromMinutes(1));
            var json = JsonDocument.Parse(body).RootElement;
            Assert.Equal(headers["Codex-Webhook-Id"].ToString(), json.Str("id"));
            Assert.Equal(tenant.Id, json.Str("tenantId"));
            // Replay protection: the same signature on another body, or an old one, does not verify.
            Assert.True(WebhookSignature.Verify(secret, headers[WebhookSignature.Header].ToString(), body, DateTimeOffset.UtcNow));
            Assert.False(WebhookSignature.Verify(secret, headers[WebhookSignature.Header].ToString(), body.Replace(tenant.Id, "intruder"), DateTimeOffset.UtcNow));
            Assert.False(WebhookSignature.Verify(secret, headers[WebhookSignature.Header].ToString(), body, DateTimeOffset.UtcNow.AddMinutes(10)));
        }
        var created = JsonDocument.Parse(received.Single(r => r.Headers["Codex-Event-Type"] == "subscription.created").Body).RootElement;
        Assert.Equal(subscription, created.GetProperty("data").GetProperty("subscriptionId").GetGuid());

        var deliveries = (await tenant.Admin.GetOkAsync($"/api/v1/billing/webhooks/{endpoint.Id()}/deliveries")).EnumerateArray().ToList();
        Assert.All(deliveries, d => Assert.Equal("succeeded", d.Str("status")));
        Assert.Equal(3, deliveries.Count);
        Assert.Equal(3 + 2, deliveries.Sum(d => d.GetProperty("attempts").GetInt32()));   // three delivered, after two refusals
    }

    [Fact]
    public async Task After_its_last_attempt_a_delivery_waits_on_the_dead_letter_list_until_it_is_replayed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Down = true;
        var tenant = await stack.CreateTenantAsync();
        var endpoint = (await tenant.Admin.PostOkAsync("/api/v1/billing/webhooks", new { url = receiver.Url, events = new[] { "subscription.created" } })).Id();
        var customer = await stack.CreateCustomerAsync(tenant);
        await tenant.Admin.PostOkAsync("/api/v1/billing/plans", BillingCalls.MonthlyPlan("basic", 10m));
        await tenant.Admin.PostOkAsync("/api/v1/billing/subscriptions", new { customerId = customer, planCode = "basic" });

        JsonElement dead = default;
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
        {
            var list = (await tenant.Admin.GetOkAsync($"/api/v1/billing/webhooks/{endpoint}/deliveries?status=dead")).EnumerateArray().ToList();
            dead = list.FirstOrDefault();
            return list.Count == 1;
        }, Within), "the delivery never reached the dead-letter list");
        Assert.Equal((3, 503), (dead.GetProperty("attempts").GetInt32(), dead.GetProperty("lastStatusCode").GetInt32()));
        Assert.Empty(receiver.Received);

        receiver.Down = false;
        var replay = await tenant.Admin.PostOkAsync($"/api/v1/billing/webhooks/{endpoint}/replay", new { });
        Assert.Equal(1, replay.GetProperty("replayed").GetInt32());
        Assert.True(await TestInfrastructure.EventuallyAsync(() => Task.FromResult(receiver.Received.Count == 1), Within), "the replay never arrived");
        Assert.Equal("subscription.created", Assert.Single(receiver.Received).Headers["Codex-Event-Type"].ToString());   // invoice events were not asked for
        Assert.Empty((await tenant.Admin.GetOkAsync($"/api/v1/billing/webhooks/{endpoint}/deliveries?status=dead")).EnumerateArray());
    }

    [Fact]
    public async Task Bad_endpoints_are_refused_and_another_tenant_cannot_see_or_replay_them()
    {
        var tenant = await stack.CreateTenantAsync();
        var other = await stack.CreateTenantAsync();
        using (var bad = await tenant.Admin.PostAsJsonAsync("/api/v1/billing/webhooks", new { url = "ftp://example.com/hook", events = new[] { "payment.*" } }))
        {
            var errors = (await bad.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
            Assert.True(errors.TryGetProperty("url", out _) && errors.TryGetProperty("events", out _));
        }
        Assert.Equal(0, await stack.CountAsync("webhook_endpoints", tenant.Id));

        var endpoint = (await tenant.Admin.PostOkAsync("/api/v1/billing/webhooks", new { url = "http://127.0.0.1:9/hook", events = new[] { "invoice.paid" } })).Id();
        var listed = Assert.Single((await tenant.Admin.GetOkAsync("/api/v1/billing/webhooks")).EnumerateArray());
        Assert.False(listed.TryGetProperty("secret", out _));
        Assert.Empty((await other.Admin.GetOkAsync("/api/v1/billing/webhooks")).EnumerateArray());
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, $"/api/v1/billing/webhooks/{endpoint}/deliveries"), (HttpMethod.Post, $"/api/v1/billing/webhooks/{endpoint}/replay"),
            (HttpMethod.Delete, $"/api/v1/billing/webhooks/{endpoint}"),
        })
        {
            using var request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Post ? JsonContent.Create(new { }) : null };
            using var response = await other.Admin.SendAsync(request);
            await response.AssertProblemAsync(HttpStatusCode.NotFound, "webhook_endpoint_not_found");
        }
        Assert.Equal(1, await stack.CountAsync("webhook_endpoints", tenant.Id));
    }
}
