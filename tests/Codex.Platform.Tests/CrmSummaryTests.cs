using System.Text.Json;
using Codex.Platform.Contracts;
using Codex.Testing;
using Codex.Testing.Auth;
using static Codex.Platform.Tests.CrmEnvelopes;

namespace Codex.Platform.Tests;

/// <summary>CRM's figures in the tenant summary, from CRM's events on the bus, and their reconciliation.</summary>
public sealed class CrmSummaryTests(CrmStandInStack stack) : IClassFixture<CrmStandInStack>
{
    [Fact]
    public async Task Crm_events_on_the_bus_move_customers_the_pipeline_per_currency_and_the_average_probability()
    {
        var tenant = (await stack.CreateTenantAsync()).Id;
        var before = (await stack.SummaryAsync(tenant)).GetProperty("crm");
        Assert.Equal(0, before.GetProperty("customers").GetInt32());
        Assert.Equal(JsonValueKind.Object, before.GetProperty("openPipelineValue").ValueKind);
        Assert.Empty(before.GetProperty("openPipelineValue").EnumerateObject());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("averageProbability").ValueKind);
        Guid euro = Guid.NewGuid(), dollar = Guid.NewGuid(), closed = Guid.NewGuid();

        await PlatformStack.PublishAsync(
            CustomerCreated(tenant), CustomerCreated(tenant), CustomerDeleted(tenant),
            LeadCreated(tenant, euro, "open", 1200.50m, "EUR", 40),
            LeadCreated(tenant, dollar, "open", 300m, "USD", 60),
            LeadUpdated(tenant, dollar, "open", before: (300m, "USD", 60), after: (400m, "USD", 75)),
            LeadCreated(tenant, closed, "open", 800m, "EUR", 20),
            LeadStageChanged(tenant, closed, "open", "won", 800m, "EUR", 20),
            LeadStageChanged(tenant, closed, "won", "open", 800m, "EUR", 20),
            LeadDeleted(tenant, closed, "open", 800m, "EUR", 20));

        JsonElement crm = default;
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
        {
            crm = (await stack.SummaryAsync(tenant)).GetProperty("crm");
            return crm.GetProperty("leads").GetInt32() == 2 && crm.GetProperty("openProbabilityTotal").GetDecimal() == 115
                && crm.GetProperty("openPipelineValue").TryGetProperty("USD", out var usd) && usd.GetDecimal() == 400;
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100)), "the summary did not show CRM's events");
        Assert.Equal(1, crm.GetProperty("customers").GetInt32());
        Assert.Equal(2, crm.GetProperty("openLeads").GetInt32());
        var pipeline = crm.GetProperty("openPipelineValue");
        Assert.Equal(1200.50m, pipeline.GetProperty("EUR").GetDecimal());
        Assert.Equal(["EUR", "USD"], pipeline.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(57.5m, crm.GetProperty("averageProbability").GetDecimal());
        var lineage = (await stack.SummaryAsync(tenant, lineage: true)).GetProperty("crm");
        Assert.StartsWith("crm.lead.", lineage.GetProperty("openPipelineValue").GetProperty("lineage").GetProperty("eventType").GetString());
        Assert.StartsWith("crm.lead.", lineage.GetProperty("averageProbability").GetProperty("lineage").GetProperty("eventType").GetString());
        Assert.Equal(7L, await stack.ScalarAsync<long>(
            "SELECT count(*) FROM data_lineage WHERE tenant_id = @t AND figure = 'openPipelineValue'", ("t", tenant)));
    }

    [Fact]
    public async Task A_drifted_pipeline_is_repaired_from_crms_own_answer_where_a_missing_currency_counts_as_zero()
    {
        var tenant = (await stack.CreateTenantAsync()).Id;
        await PlatformStack.PublishAsync(LeadCreated(tenant, Guid.NewGuid(), "open", 1000m, "EUR", 40), LeadCreated(tenant, Guid.NewGuid(), "open", 300m, "USD", 60));
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            (await stack.SummaryAsync(tenant)).GetProperty("crm").GetProperty("openLeads").GetInt32() == 2, TimeSpan.FromSeconds(10)));
        // CRM's answer: the same pipeline with a GBP left at 0, and an average Platform works out itself (never compared).
        stack.CrmSummaries[tenant] = JsonSerializer.SerializeToElement(new
        {
            customers = 0, leads = 2, openLeads = 2, openPipelineValue = new Dictionary<string, decimal> { ["EUR"] = 1000m, ["USD"] = 300m, ["GBP"] = 0m },
            openProbabilityTotal = 100, averageProbability = 12.3,
        });
        using var root = await stack.SuperadminAsync();

        var inStep = await (await root.PostAsync($"/api/v1/platform/tenants/{tenant}/reconcile", null)).ReadAsync<ReconciliationReport>();
        await stack.ScalarAsync<int>(
            "UPDATE tenant_summaries SET value = '{\"EUR\": 999}' WHERE tenant_id = @t AND service = 'crm' AND figure = 'openPipelineValue' RETURNING 1", ("t", tenant));
        var drifted = await (await root.PostAsync($"/api/v1/platform/tenants/{tenant}/reconcile", null)).ReadAsync<ReconciliationReport>();

        Assert.Empty(inStep.Repairs);
        Assert.Empty(inStep.Unreachable);
        Assert.Equal(4 + 5, inStep.FiguresCompared);   // Auth's stored figures and CRM's, the average not among them
        var repair = Assert.Single(drifted.Repairs);
        Assert.Equal(("crm", "openPipelineValue"), (repair.Service, repair.Figure));
        Assert.Equal(999m, repair.Was!.Value.GetProperty("EUR").GetDecimal());
        Assert.Equal(300m, repair.Now.GetProperty("USD").GetDecimal());
        var figure = (await stack.SummaryAsync(tenant, lineage: true)).GetProperty("crm").GetProperty("openPipelineValue");
        Assert.Equal(1000m, figure.GetProperty("value").GetProperty("EUR").GetDecimal());
        Assert.Equal(300m, figure.GetProperty("value").GetProperty("USD").GetDecimal());
        Assert.Equal("reconciliation", figure.GetProperty("lineage").GetProperty("kind").GetString());
        Assert.Equal(50m, (await stack.SummaryAsync(tenant)).GetProperty("crm").GetProperty("averageProbability").GetDecimal());
    }
}
