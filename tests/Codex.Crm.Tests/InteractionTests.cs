using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Codex.Crm.Tests;

public sealed class InteractionTests(CrmStack stack) : IClassFixture<CrmStack>
{
    [Fact]
    public async Task Timelines_are_newest_first_paged_and_a_customers_includes_its_leads()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var api = tenant.Admin;
        var customer = await api.CreateCustomerAsync(new { name = "Timeline Co" });
        var lead = await api.CreateLeadAsync(new { title = "Upsell", currency = "EUR", customerId = customer.Id() });
        var start = DateTimeOffset.UtcNow.AddDays(-10);
        var logged = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            logged.Add(await LogAsync(api, new { kind = "call", customerId = customer.Id(), subject = $"call {i}", occurredAt = start.AddDays(i) }));
        }
        var onLead = await LogAsync(api, new { kind = "meeting", leadId = lead.Id(), subject = "demo", occurredAt = start.AddDays(7) });

        var first = await api.GetJsonAsync($"/api/v1/crm/customers/{customer.Id()}/timeline?limit=4");
        var second = await api.GetJsonAsync($"/api/v1/crm/customers/{customer.Id()}/timeline?limit=4&cursor={first.Str("nextCursor")}");
        var leadTimeline = await api.GetJsonAsync($"/api/v1/crm/leads/{lead.Id()}/timeline");

        Assert.Equal([onLead, logged[4], logged[3], logged[2]], first.Items().Select(i => i.Id()));
        Assert.Equal([logged[1], logged[0]], second.Items().Select(i => i.Id()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        Assert.Equal(onLead, Assert.Single(leadTimeline.Items()).Id());
        Assert.Equal(6, await stack.CrmScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE tenant_id = @t AND event_type = 'crm.interaction.logged'", ("t", tenant.Id)));
    }

    [Fact]
    public async Task An_interaction_needs_a_known_kind_and_a_customer_or_lead_of_the_tenant()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var api = tenant.Admin;

        using var badKind = await api.PostAsJsonAsync("/api/v1/crm/interactions", new { kind = "telegram", customerId = Guid.NewGuid() });
        using var noSubject = await api.PostAsJsonAsync("/api/v1/crm/interactions", new { kind = "note" });
        using var unknownLead = await api.PostAsJsonAsync("/api/v1/crm/interactions", new { kind = "note", leadId = Guid.NewGuid() });

        await LeadTests.AssertFieldAsync(badKind, "kind");
        await LeadTests.AssertFieldAsync(noSubject, "customerId");
        await unknownLead.AssertProblemAsync(HttpStatusCode.NotFound, "lead_not_found");
        Assert.Equal(0, await stack.CountAsync("interactions", tenant.Id));
    }

    private static async Task<Guid> LogAsync(HttpClient api, object body)
    {
        using var response = await api.PostAsJsonAsync("/api/v1/crm/interactions", body);
        return (await response.ReadAsync<JsonElement>()).Id();
    }
}
