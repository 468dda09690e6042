using System.Net.Http.Json;
using System.Text.Json;

namespace Codex.Crm.Tests;

public sealed class SummaryTests(CrmStack stack) : IClassFixture<CrmStack>
{
    [Fact]
    public async Task Crm_events_reach_platforms_summary_and_match_crms_own_figures()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var api = tenant.Admin;
        await api.CreateCustomerAsync(new { name = "One" });
        var gone = await api.CreateCustomerAsync(new { name = "Two" });
        using (await api.DeleteAsync($"/api/v1/crm/customers/{gone.Id()}"))
        {
        }
        var a = await api.CreateLeadAsync(new { title = "A", value = 1000m, currency = "EUR", probability = 40 });
        await api.CreateLeadAsync(new { title = "B", value = 500m, currency = "USD", probability = 70 });
        var c = await api.CreateLeadAsync(new { title = "C", value = 250m, currency = "EUR", probability = 90 });
        using (var won = await api.PostAsJsonAsync($"/api/v1/crm/leads/{c.Id()}/stage", new { stage = "won" }))
        {
            await won.ReadAsync<JsonElement>();
        }
        using (var repriced = await api.PutAsJsonAsync($"/api/v1/crm/leads/{a.Id()}", new { title = "A", value = 1200m, currency = "EUR", probability = 50 }))
        {
            await repriced.ReadAsync<JsonElement>();
        }

        using var platform = await TestServiceIdentities.ClientAsync(stack.Auth.App.Address, stack.Crm.Address, ResourceNames.Services.Platform, ResourceNames.Services.Crm);
        var own = await platform.GetFromJsonAsync<JsonElement>($"/internal/summary/{tenant.Id}");
        JsonElement crm = default;
        var arrived = await TestInfrastructure.EventuallyAsync(async () =>
        {
            crm = (await stack.SummaryAsync(tenant.Id)).GetProperty("crm");
            return crm.GetProperty("openLeads").GetInt32() == 2 && crm.GetProperty("openProbabilityTotal").GetInt32() == 120
                   && crm.GetProperty("customers").GetInt32() == 1;
        }, TimeSpan.FromSeconds(10));
        using var reconcile = await (await stack.SuperadminAsync()).PostAsync($"/api/v1/platform/tenants/{tenant.Id}/reconcile", null);
        var report = await reconcile.ReadAsync<JsonElement>();

        Assert.True(arrived, crm.ToString());
        Assert.Equal(1, own.GetProperty("customers").GetInt32());
        Assert.Equal(3, own.GetProperty("leads").GetInt32());
        Assert.Equal(2, own.GetProperty("openLeads").GetInt32());
        Assert.Equal(1200m, own.GetProperty("openPipelineValue").GetProperty("EUR").GetDecimal());
        Assert.Equal(500m, own.GetProperty("openPipelineValue").GetProperty("USD").GetDecimal());
        Assert.Equal(60m, own.GetProperty("averageProbability").GetDecimal());
        Assert.Equal(3, crm.GetProperty("leads").GetInt32());
        Assert.Equal(1200m, crm.GetProperty("openPipelineValue").GetProperty("EUR").GetDecimal());
        Assert.Equal(500m, crm.GetProperty("openPipelineValue").GetProperty("USD").GetDecimal());
        Assert.Equal(60m, crm.GetProperty("averageProbability").GetDecimal());
        Assert.DoesNotContain(report.GetProperty("repairs").EnumerateArray(), r => r.Str("service") == "crm");
        Assert.DoesNotContain(report.GetProperty("unreachable").EnumerateArray(), service => service.GetString() == "crm");
    }

    [Fact]
    public async Task Reconciliation_repairs_a_drifted_pipeline_from_crms_answer_and_a_currency_closed_to_zero_is_not_drift()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var api = tenant.Admin;
        await api.CreateLeadAsync(new { title = "A", value = 1000m, currency = "EUR", probability = 40 });
        await api.CreateLeadAsync(new { title = "B", value = 300m, currency = "USD", probability = 60 });
        var pounds = await api.CreateLeadAsync(new { title = "C", value = 50m, currency = "GBP", probability = 10 });
        using (var lost = await api.PostAsJsonAsync($"/api/v1/crm/leads/{pounds.Id()}/stage", new { stage = "lost", lostReason = "gone quiet" }))
        {
            await lost.ReadAsync<JsonElement>();
        }
        // Platform now holds {"EUR": 1000, "USD": 300, "GBP": 0}; CRM answers only the currencies of open leads.
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
        {
            var crm = (await stack.SummaryAsync(tenant.Id)).GetProperty("crm");
            return crm.GetProperty("openLeads").GetInt32() == 2 && crm.GetProperty("openPipelineValue").TryGetProperty("GBP", out var gbp) && gbp.GetDecimal() == 0;
        }, TimeSpan.FromSeconds(10)), "CRM's events did not reach the summary");
        using var root = await stack.SuperadminAsync();

        using var first = await root.PostAsync($"/api/v1/platform/tenants/{tenant.Id}/reconcile", null);
        var inStep = await first.ReadAsync<JsonElement>();
        await stack.ScalarAsync<int>(
            "UPDATE tenant_summaries SET value = '{\"EUR\": 999}' WHERE tenant_id = @t AND service = 'crm' AND figure = 'openPipelineValue' RETURNING 1", ("t", tenant.Id));
        using var second = await root.PostAsync($"/api/v1/platform/tenants/{tenant.Id}/reconcile", null);
        var drifted = await second.ReadAsync<JsonElement>();
        var figure = (await stack.SummaryAsync(tenant.Id, lineage: true)).GetProperty("crm").GetProperty("openPipelineValue");

        Assert.DoesNotContain(inStep.GetProperty("repairs").EnumerateArray(), r => r.Str("service") == "crm");
        var repair = Assert.Single(drifted.GetProperty("repairs").EnumerateArray(), r => r.Str("service") == "crm");
        Assert.Equal("openPipelineValue", repair.Str("figure"));
        Assert.Equal(999m, repair.GetProperty("was").GetProperty("EUR").GetDecimal());
        Assert.Equal(1000m, figure.GetProperty("value").GetProperty("EUR").GetDecimal());
        Assert.Equal(300m, figure.GetProperty("value").GetProperty("USD").GetDecimal());
        Assert.Equal("reconciliation", figure.GetProperty("lineage").GetProperty("kind").GetString());
        Assert.Equal(50m, (await stack.SummaryAsync(tenant.Id)).GetProperty("crm").GetProperty("averageProbability").GetDecimal());
    }
}
