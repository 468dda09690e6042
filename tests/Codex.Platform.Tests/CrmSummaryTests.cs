using System.Text.Json;
using Codex.Testing;
using static Codex.Platform.Tests.CrmEnvelopes;

namespace Codex.Platform.Tests;

/// <summary>CRM's figures in the tenant summary, from CRM's events on the bus (their reconciliation against the real CRM is in CRM's tests).</summary>
public sealed class CrmSummaryTests(PlatformStack stack) : IClassFixture<PlatformStack>
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
}
