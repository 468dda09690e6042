using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Codex.Crm.Tests;

public sealed class PipelineTests(CrmStack stack) : IClassFixture<CrmStack>
{
    private static readonly object[] PartnerStages =
    [
        new { name = "Intro" }, new { name = "Pilot", probability = 50 }, new { name = "Signed", kind = "won", probability = 100 }, new { name = "Dropped", kind = "lost" },
    ];

    [Fact]
    public async Task Pipelines_are_created_renamed_reordered_and_a_stage_holding_leads_cannot_be_removed()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var api = tenant.Admin;

        using var create = await api.PostAsJsonAsync("/api/v1/crm/pipelines", new { name = "Partners", stages = PartnerStages });
        var pipeline = await create.ReadAsync<JsonElement>();
        var lead = await api.CreateLeadAsync(new { title = "Partner A", currency = "EUR", pipelineId = pipeline.Id(), stage = "pilot" });
        using var rename = await api.PutAsJsonAsync($"/api/v1/crm/pipelines/{pipeline.Id()}", new
        {
            name = "Partnerships",
            stages = new object[] { new { key = "pilot", name = "Paid pilot", probability = 60 }, new { key = "intro", name = "Intro" }, new { name = "Signed", kind = "won" }, new { name = "Dropped", kind = "lost" } },
        });
        var renamed = await rename.ReadAsync<JsonElement>();
        using var removeOccupied = await api.PutAsJsonAsync($"/api/v1/crm/pipelines/{pipeline.Id()}", new { name = "Partnerships", stages = new object[] { new { name = "Intro" }, new { name = "Signed", kind = "won" }, new { name = "Dropped", kind = "lost" } } });
        using var deleteUsed = await api.DeleteAsync($"/api/v1/crm/pipelines/{pipeline.Id()}");
        var defaultId = (await api.GetJsonAsync("/api/v1/crm/pipelines")).EnumerateArray().Single(p => p.GetProperty("isDefault").GetBoolean()).Id();
        using var deleteDefault = await api.DeleteAsync($"/api/v1/crm/pipelines/{defaultId}");
        var stillThere = await api.GetJsonAsync($"/api/v1/crm/leads/{lead.Id()}");

        Assert.Equal(["intro", "pilot", "signed", "dropped"], pipeline.GetProperty("stages").EnumerateArray().Select(s => s.Str("key")));
        Assert.Equal(50, lead.GetProperty("probability").GetInt32());
        Assert.Equal("Partnerships", renamed.Str("name"));
        Assert.Equal(["pilot", "intro", "signed", "dropped"], renamed.GetProperty("stages").EnumerateArray().Select(s => s.Str("key")));
        Assert.Equal("Paid pilot", renamed.GetProperty("stages")[0].Str("name"));
        await removeOccupied.AssertProblemAsync(HttpStatusCode.Conflict, "stage_in_use");
        await deleteUsed.AssertProblemAsync(HttpStatusCode.Conflict, "pipeline_in_use");
        await deleteDefault.AssertProblemAsync(HttpStatusCode.Conflict, "default_pipeline");
        Assert.Equal("pilot", stillThere.Str("stage"));
    }

    [Fact]
    public async Task A_pipeline_needs_open_stages_one_won_one_lost_and_unique_keys()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var api = tenant.Admin;

        using var noWon = await api.PostAsJsonAsync("/api/v1/crm/pipelines", new { name = "Bad", stages = new object[] { new { name = "A" }, new { name = "B" }, new { name = "Gone", kind = "lost" } } });
        using var duplicateKeys = await api.PostAsJsonAsync("/api/v1/crm/pipelines", new { name = "Bad", stages = new object[] { new { name = "A" }, new { name = "a" }, new { name = "W", kind = "won" }, new { name = "L", kind = "lost" } } });
        using var badKind = await api.PostAsJsonAsync("/api/v1/crm/pipelines", new { name = "Bad", stages = new object[] { new { name = "A", kind = "paused" }, new { name = "W", kind = "won" }, new { name = "L", kind = "lost" } } });
        using var duplicateName = await api.PostAsJsonAsync("/api/v1/crm/pipelines", new { name = "Sales", stages = PartnerStages });

        await LeadTests.AssertFieldAsync(noWon, "stages");
        await LeadTests.AssertFieldAsync(duplicateKeys, "stages");
        await LeadTests.AssertFieldAsync(badKind, "stages[0].kind");
        await duplicateName.AssertProblemAsync(HttpStatusCode.Conflict, "duplicate_pipeline");
        Assert.Equal(1, await stack.CountAsync("pipelines", tenant.Id));
    }

    [Fact]
    public async Task A_refused_new_default_leaves_the_old_default_and_leads_without_a_pipeline_still_land_in_it()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var api = tenant.Admin;
        var sales = (await api.GetJsonAsync("/api/v1/crm/pipelines")).EnumerateArray().Single(p => p.GetProperty("isDefault").GetBoolean()).Id();
        using (var partners = await api.PostAsJsonAsync("/api/v1/crm/pipelines", new { name = "Partners", stages = PartnerStages }))
        {
            await partners.ReadAsync<JsonElement>();
        }

        // The name is taken: 409, after the old default would have been cleared on the way.
        using var duplicate = await api.PostAsJsonAsync("/api/v1/crm/pipelines", new { name = "Partners", stages = PartnerStages, isDefault = true });
        var partnersId = (await api.GetJsonAsync("/api/v1/crm/pipelines")).EnumerateArray().Single(p => p.Str("name") == "Partners").Id();
        using var renameOntoSales = await api.PutAsJsonAsync($"/api/v1/crm/pipelines/{partnersId}", new { name = "Sales", stages = PartnerStages, isDefault = true });
        var lead = await api.CreateLeadAsync(new { title = "No pipeline named", currency = "EUR" });

        await duplicate.AssertProblemAsync(HttpStatusCode.Conflict, "duplicate_pipeline");
        await renameOntoSales.AssertProblemAsync(HttpStatusCode.Conflict, "duplicate_pipeline");
        var defaults = (await api.GetJsonAsync("/api/v1/crm/pipelines")).EnumerateArray().Where(p => p.GetProperty("isDefault").GetBoolean()).Select(p => p.Id());
        Assert.Equal([sales], defaults);
        Assert.Equal(sales, lead.GetProperty("pipelineId").GetGuid());
        Assert.Equal(2, await stack.CountAsync("pipelines", tenant.Id));
    }

    [Fact]
    public async Task The_database_keeps_exactly_one_default_pipeline_per_tenant()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        await tenant.Admin.PostAsJsonAsync("/api/v1/crm/pipelines", new { name = "Partners", stages = PartnerStages });

        var none = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            stack.CrmScalarAsync<object?>("UPDATE pipelines SET is_default = false WHERE tenant_id = @t", ("t", tenant.Id)));
        var two = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            stack.CrmScalarAsync<object?>("UPDATE pipelines SET is_default = true WHERE tenant_id = @t", ("t", tenant.Id)));

        Assert.Equal(Npgsql.PostgresErrorCodes.CheckViolation, none.SqlState);
        Assert.Equal(Npgsql.PostgresErrorCodes.UniqueViolation, two.SqlState);
        Assert.Equal(1L, await stack.CrmScalarAsync<long>("SELECT count(*) FROM pipelines WHERE tenant_id = @t AND is_default", ("t", tenant.Id)));
        // A tenant's pipelines may all go at once (erasure): none left is not a tenant without a default.
        Assert.Equal(2L, await stack.CrmScalarAsync<long>(
            "WITH gone AS (DELETE FROM pipelines WHERE tenant_id = @t RETURNING 1) SELECT count(*) FROM gone", ("t", tenant.Id)));
    }

    [Fact]
    public async Task Stats_give_count_and_value_per_stage_conversion_to_later_stages_and_time_in_stage()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var api = tenant.Admin;
        var leads = new List<Guid>();
        foreach (var (value, currency) in new[] { (100m, "EUR"), (200m, "EUR"), (300m, "USD"), (400m, "EUR") })
        {
            leads.Add((await api.CreateLeadAsync(new { title = $"Lead {value}", value, currency })).Id());
        }
        await MoveAsync(api, leads[0], "qualified");
        await MoveAsync(api, leads[1], "qualified");
        await MoveAsync(api, leads[1], "won");
        await MoveAsync(api, leads[2], "lost", "No budget");
        // Time in stage is measured from the history, so age one finished stay by a known amount.
        await stack.CrmScalarAsync<object?>(
            "UPDATE lead_stage_history SET entered_at = left_at - interval '3 days' WHERE lead_id = @l AND stage = 'new'", ("l", leads[0]));
        var pipelineId = (await api.GetJsonAsync($"/api/v1/crm/leads/{leads[0]}")).GetProperty("pipelineId").GetGuid();

        var stats = await api.GetJsonAsync($"/api/v1/crm/pipelines/{pipelineId}/stats");
        var stages = stats.GetProperty("stages").EnumerateArray().ToDictionary(s => s.Str("key"));

        Assert.Equal(4, stats.GetProperty("leads").GetInt32());
        Assert.Equal(1, stages["new"].GetProperty("count").GetInt32());
        Assert.Equal(400m, stages["new"].GetProperty("value").GetProperty("EUR").GetDecimal());
        Assert.Equal(1, stages["qualified"].GetProperty("count").GetInt32());
        Assert.Equal(300m, stages["lost"].GetProperty("value").GetProperty("USD").GetDecimal());
        Assert.Equal(200m, stages["won"].GetProperty("value").GetProperty("EUR").GetDecimal());
        Assert.Equal(4, stages["new"].GetProperty("entered").GetInt32());
        Assert.Equal(0.5, stages["new"].GetProperty("conversionToNext").GetDouble());       // 2 of 4 went further than new (lost does not count)
        Assert.Equal(0.5, stages["qualified"].GetProperty("conversionToNext").GetDouble()); // 1 of 2 won
        Assert.Equal(JsonValueKind.Null, stages["won"].GetProperty("conversionToNext").ValueKind);
        Assert.True(stages["new"].GetProperty("averageDaysInStage").GetDouble() > 0.9, stages["new"].ToString());
        Assert.Equal(JsonValueKind.Null, stages["proposal"].GetProperty("averageDaysInStage").ValueKind);
    }

    private static async Task MoveAsync(HttpClient api, Guid lead, string stage, string? lostReason = null)
    {
        using var response = await api.PostAsJsonAsync($"/api/v1/crm/leads/{lead}/stage", new { stage, lostReason });
        await response.ReadAsync<JsonElement>();
    }
}
