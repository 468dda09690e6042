using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Codex.Crm.Tests;

public sealed class LeadTests(CrmStack stack) : IClassFixture<CrmStack>
{
    [Fact]
    public async Task A_new_tenant_gets_the_default_pipeline_and_a_lead_starts_in_its_first_stage_with_its_probability()
    {
        var tenant = await stack.CreateCrmTenantAsync();

        var pipelines = await tenant.Admin.GetJsonAsync("/api/v1/crm/pipelines");
        var lead = await tenant.Admin.CreateLeadAsync(new { title = "Big deal", value = 1200.50m, currency = "eur", expectedCloseDate = "2027-03-31" });

        var pipeline = Assert.Single(pipelines.EnumerateArray());
        Assert.True(pipeline.GetProperty("isDefault").GetBoolean());
        Assert.Equal(["new", "qualified", "proposal", "negotiation", "won", "lost"], pipeline.GetProperty("stages").EnumerateArray().Select(s => s.Str("key")));
        Assert.Equal(pipeline.Id(), lead.GetProperty("pipelineId").GetGuid());
        Assert.Equal("new", lead.Str("stage"));
        Assert.Equal("open", lead.Str("status"));
        Assert.Equal(10, lead.GetProperty("probability").GetInt32());
        Assert.Equal("EUR", lead.Str("currency"));
        Assert.Equal("2027-03-31", lead.Str("expectedCloseDate"));
    }

    [Fact]
    public async Task Bad_leads_get_field_errors_and_nothing_is_written()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var other = await stack.CreateCrmTenantAsync();
        var foreignCustomer = await other.Admin.CreateCustomerAsync(new { name = "Theirs" });
        var api = tenant.Admin;

        using var unknownStage = await api.PostAsJsonAsync("/api/v1/crm/leads", new { title = "A", currency = "EUR", stage = "maybe" });
        using var closedStage = await api.PostAsJsonAsync("/api/v1/crm/leads", new { title = "A", currency = "EUR", stage = "won" });
        using var probability = await api.PostAsJsonAsync("/api/v1/crm/leads", new { title = "A", currency = "EUR", probability = 101 });
        using var currency = await api.PostAsJsonAsync("/api/v1/crm/leads", new { title = "A", currency = "XYZ" });
        using var closeDate = await api.PostAsJsonAsync("/api/v1/crm/leads", new { title = "A", currency = "EUR", expectedCloseDate = "next tuesday" });
        using var yenCents = await api.PostAsJsonAsync("/api/v1/crm/leads", new { title = "A", currency = "JPY", value = 10.5m });
        using var negative = await api.PostAsJsonAsync("/api/v1/crm/leads", new { title = "A", currency = "USD", value = -1m });
        using var all = await api.PostAsJsonAsync("/api/v1/crm/leads", new { title = "A", currency = "XYZ", probability = -5, expectedCloseDate = "2027-02-30" });
        using var foreign = await api.PostAsJsonAsync("/api/v1/crm/leads", new { title = "A", currency = "EUR", customerId = foreignCustomer.Id() });
        using var unknownPipeline = await api.PostAsJsonAsync("/api/v1/crm/leads", new { title = "A", currency = "EUR", pipelineId = Guid.NewGuid() });

        Assert.Contains("qualified", (await unknownStage.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("stage")[0].GetString());
        await AssertFieldAsync(closedStage, "stage");
        await AssertFieldAsync(probability, "probability");
        await AssertFieldAsync(currency, "currency");
        await AssertFieldAsync(closeDate, "expectedCloseDate");
        await AssertFieldAsync(yenCents, "value");
        await AssertFieldAsync(negative, "value");
        var errors = (await all.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal(["currency", "expectedCloseDate", "probability"], errors.EnumerateObject().Select(p => p.Name).Order());
        await foreign.AssertProblemAsync(HttpStatusCode.NotFound, "customer_not_found");
        await unknownPipeline.AssertProblemAsync(HttpStatusCode.NotFound, "pipeline_not_found");
        Assert.Equal(0, await stack.CountAsync("leads", tenant.Id));
        Assert.Equal(0, await stack.CrmScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE tenant_id = @t AND event_type LIKE 'crm.lead.%'", ("t", tenant.Id)));
    }

    [Fact]
    public async Task Stage_moves_follow_the_pipeline_lost_needs_a_reason_and_a_closed_lead_only_reopens()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var api = tenant.Admin;
        var lead = await api.CreateLeadAsync(new { title = "Deal", value = 500m, currency = "USD", probability = 40 });
        var path = $"/api/v1/crm/leads/{lead.Id()}/stage";

        var qualified = await MoveAsync(api, path, new { stage = "qualified" });
        using var lostWithoutReason = await api.PostAsJsonAsync(path, new { stage = "lost" });
        using var unknown = await api.PostAsJsonAsync(path, new { stage = "limbo" });
        var won = await MoveAsync(api, path, new { stage = "won" });
        using var wonToLost = await api.PostAsJsonAsync(path, new { stage = "lost", lostReason = "changed mind" });
        var reopened = await MoveAsync(api, path, new { stage = "negotiation" });
        var lost = await MoveAsync(api, path, new { stage = "lost", lostReason = "Budget cut" });

        Assert.Equal("qualified", qualified.Str("stage"));
        await AssertFieldAsync(lostWithoutReason, "lostReason");
        await AssertFieldAsync(unknown, "stage");
        Assert.Equal("won", won.Str("status"));
        Assert.NotEqual(JsonValueKind.Null, won.GetProperty("closedAt").ValueKind);
        await wonToLost.AssertProblemAsync(HttpStatusCode.Conflict, "lead_closed");
        Assert.Equal("open", reopened.Str("status"));
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("closedAt").ValueKind);
        Assert.Equal("lost", lost.Str("status"));
        Assert.Equal("Budget cut", lost.Str("lostReason"));
        Assert.Equal(5, await stack.CountAsync("lead_stage_history", tenant.Id));
        foreach (var (type, count) in new[] { ("crm.lead.created", 1), ("crm.lead.stage_changed", 4), ("crm.lead.won", 1), ("crm.lead.lost", 1) })
        {
            Assert.Equal(count, await stack.CrmScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE tenant_id = @t AND event_type = @type", ("t", tenant.Id), ("type", type)));
        }
    }

    [Fact]
    public async Task The_assignee_must_be_an_active_user_of_the_same_tenant()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var other = await stack.CreateCrmTenantAsync();
        var colleague = await CreateUserAsync(tenant, $"rep@{tenant.Id}.test");
        var stranger = await CreateUserAsync(other, $"rep@{other.Id}.test");

        var assigned = await tenant.Admin.CreateLeadAsync(new { title = "Mine", currency = "EUR", assignedTo = colleague });
        using var toStranger = await tenant.Admin.PostAsJsonAsync("/api/v1/crm/leads", new { title = "Theirs", currency = "EUR", assignedTo = stranger });
        using var toNobody = await tenant.Admin.PostAsJsonAsync("/api/v1/crm/leads", new { title = "Nobody", currency = "EUR", assignedTo = Guid.NewGuid() });
        var mine = await tenant.Admin.GetJsonAsync($"/api/v1/crm/leads?assignedTo={colleague}");

        Assert.Equal(colleague, assigned.GetProperty("assignedTo").GetGuid());
        await AssertFieldAsync(toStranger, "assignedTo");
        await AssertFieldAsync(toNobody, "assignedTo");
        Assert.Equal(assigned.Id(), Assert.Single(mine.Items()).Id());
        Assert.Equal(1, await stack.CountAsync("leads", tenant.Id));
    }

    [Fact]
    public async Task A_lead_converts_once_into_a_customer_made_from_its_contact()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var api = tenant.Admin;
        var lead = await api.CreateLeadAsync(new { title = "Rollout", currency = "GBP", contactName = "Mary Jackson", contactEmail = "mary@nasa.test", company = "NASA", source = "event" });

        using var convert = await api.PostAsJsonAsync($"/api/v1/crm/leads/{lead.Id()}/convert", new { });
        var converted = await convert.ReadAsync<JsonElement>();
        using var again = await api.PostAsJsonAsync($"/api/v1/crm/leads/{lead.Id()}/convert", new { });
        var customer = converted.GetProperty("customer");
        var leadsOfCustomer = await api.GetJsonAsync($"/api/v1/crm/leads?customerId={customer.Id()}");

        Assert.Equal("Mary Jackson", customer.Str("name"));
        Assert.Equal("mary@nasa.test", customer.Str("email"));
        Assert.Equal("event", customer.Str("source"));
        Assert.Equal(customer.Id(), converted.GetProperty("lead").GetProperty("customerId").GetGuid());
        await again.AssertProblemAsync(HttpStatusCode.Conflict, "lead_converted");
        Assert.Equal(lead.Id(), Assert.Single(leadsOfCustomer.Items()).Id());
        Assert.Equal(1, await stack.CrmScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE tenant_id = @t AND event_type = 'crm.lead.converted'", ("t", tenant.Id)));
    }

    [Fact]
    public async Task Another_tenants_lead_is_not_found_on_every_endpoint()
    {
        var owner = await stack.CreateCrmTenantAsync();
        var other = await stack.CreateCrmTenantAsync();
        var lead = await owner.Admin.CreateLeadAsync(new { title = "Secret deal", currency = "EUR", value = 99m });
        var id = lead.Id();

        using var get = await other.Admin.GetAsync($"/api/v1/crm/leads/{id}");
        using var put = await other.Admin.PutAsJsonAsync($"/api/v1/crm/leads/{id}", new { title = "x", currency = "EUR", value = 1m, probability = 1 });
        using var move = await other.Admin.PostAsJsonAsync($"/api/v1/crm/leads/{id}/stage", new { stage = "won" });
        using var convert = await other.Admin.PostAsJsonAsync($"/api/v1/crm/leads/{id}/convert", new { });
        using var delete = await other.Admin.DeleteAsync($"/api/v1/crm/leads/{id}");
        using var timeline = await other.Admin.GetAsync($"/api/v1/crm/leads/{id}/timeline");
        using var note = await other.Admin.PostAsJsonAsync("/api/v1/crm/interactions", new { kind = "note", leadId = id });
        using var pipeline = await other.Admin.GetAsync($"/api/v1/crm/pipelines/{lead.GetProperty("pipelineId").GetGuid()}");
        var list = await other.Admin.GetJsonAsync("/api/v1/crm/leads");
        var unchanged = await owner.Admin.GetJsonAsync($"/api/v1/crm/leads/{id}");

        foreach (var response in new[] { get, put, move, convert, delete, timeline, note, pipeline })
        {
            await response.AssertProblemAsync(HttpStatusCode.NotFound);
        }
        Assert.Empty(list.Items());
        Assert.Equal("new", unchanged.Str("stage"));
        Assert.Equal("Secret deal", unchanged.Str("title"));
    }

    [Fact]
    public async Task Updating_a_lead_checks_the_same_rules_and_deleting_hides_it()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var api = tenant.Admin;
        var lead = await api.CreateLeadAsync(new { title = "Deal", value = 100m, currency = "EUR" });
        var path = $"/api/v1/crm/leads/{lead.Id()}";

        using var bad = await api.PutAsJsonAsync(path, new { title = "Deal", value = 100m, currency = "EUR", probability = 101 });
        using var good = await api.PutAsJsonAsync(path, new { title = "Bigger deal", value = 250.75m, currency = "USD", probability = 60, expectedCloseDate = "2027-01-15" });
        var updated = await good.ReadAsync<JsonElement>();
        using var delete = await api.DeleteAsync(path);
        using var gone = await api.GetAsync(path);

        await AssertFieldAsync(bad, "probability");
        Assert.Equal(250.75m, updated.GetProperty("value").GetDecimal());
        Assert.Equal("USD", updated.Str("currency"));
        Assert.Equal(60, updated.GetProperty("probability").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await gone.AssertProblemAsync(HttpStatusCode.NotFound, "lead_not_found");
        var updatedEvent = await stack.CrmScalarAsync<string>(
            "SELECT envelope::text FROM outbox_messages WHERE tenant_id = @t AND event_type = 'crm.lead.updated'", ("t", tenant.Id));
        var data = JsonDocument.Parse(updatedEvent).RootElement.GetProperty("data");
        Assert.Equal("EUR", data.Str("previousCurrency"));
        Assert.Equal(100m, data.GetProperty("previousValue").GetDecimal());
    }

    private async Task<Guid> CreateUserAsync(ProvisionedTenant tenant, string email)
    {
        using var response = await tenant.Admin.PostAsJsonAsync("/api/v1/auth/users", new { email, password = AuthService.TenantPassword, roles = new[] { "user" } });
        return (await response.ReadAsync<JsonElement>()).Id();
    }

    private static async Task<JsonElement> MoveAsync(HttpClient api, string path, object body)
    {
        using var response = await api.PostAsJsonAsync(path, body);
        return await response.ReadAsync<JsonElement>();
    }

    internal static async Task AssertFieldAsync(HttpResponseMessage response, string field)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
