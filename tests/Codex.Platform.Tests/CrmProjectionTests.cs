using Codex.Messaging;
using Codex.Platform.Summaries;
using static Codex.Platform.Tests.CrmEnvelopes;

namespace Codex.Platform.Tests;

public sealed class CrmProjectionTests
{
    private static readonly CrmSummaryProjection Crm = new();
    private static readonly Guid Lead = Guid.NewGuid();

    private static List<(string Figure, string? Key, decimal Delta)> Project(EventEnvelope envelope)
    {
        var changes = new SummaryChanges();
        Crm.Project(envelope, changes);
        return [.. changes.All.Select(c => (c.Figure, c.Key, c.Delta!.Value))];
    }

    [Fact]
    public void Customers_created_and_restored_count_up_and_deleted_count_down()
    {
        Assert.Equal([("customers", null, 1m)], Project(CustomerCreated("t1")));
        Assert.Equal([("customers", null, 1m)], Project(CustomerRestored("t1")));
        Assert.Equal([("customers", null, -1m)], Project(CustomerDeleted("t1")));
    }

    [Fact]
    public void An_open_lead_adds_a_lead_an_open_lead_its_value_in_its_currency_and_its_probability()
    {
        Assert.Equal(
            [("leads", null, 1m), ("openLeads", null, 1m), ("openPipelineValue", "EUR", 1200.50m), ("openProbabilityTotal", null, 40m)],
            Project(LeadCreated("t1", Lead, "open", 1200.50m, "EUR", 40)));
    }

    [Fact]
    public void A_lead_created_already_won_counts_only_as_a_lead()
    {
        Assert.Equal([("leads", null, 1m)], Project(LeadCreated("t1", Lead, "won", 500m, "EUR", 100)));
    }

    [Fact]
    public void An_open_lead_repriced_in_another_currency_moves_its_value_from_the_old_currency_to_the_new()
    {
        var changes = Project(LeadUpdated("t1", Lead, "open", before: (300m, "USD", 60), after: (250m, "EUR", 75)));

        Assert.Equal([("openPipelineValue", "USD", -300m), ("openPipelineValue", "EUR", 250m), ("openProbabilityTotal", null, 15m)], changes);
    }

    [Fact]
    public void An_open_lead_repriced_in_the_same_currency_writes_only_what_differs()
    {
        Assert.Equal([("openPipelineValue", "USD", 100m)], Project(LeadUpdated("t1", Lead, "open", before: (300m, "USD", 60), after: (400m, "USD", 60))));
        Assert.Empty(Project(LeadUpdated("t1", Lead, "open", before: (300m, "USD", 60), after: (300m, "USD", 60))));
    }

    [Fact]
    public void A_closed_lead_repriced_moves_nothing()
    {
        Assert.Empty(Project(LeadUpdated("t1", Lead, "won", before: (300m, "USD", 60), after: (400m, "EUR", 90))));
    }

    [Fact]
    public void Closing_a_lead_takes_it_out_of_the_open_figures_and_reopening_puts_it_back()
    {
        Assert.Equal(
            [("openLeads", null, -1m), ("openPipelineValue", "EUR", -800m), ("openProbabilityTotal", null, -20m)],
            Project(LeadStageChanged("t1", Lead, "open", "won", 800m, "EUR", 20)));
        Assert.Equal(
            [("openLeads", null, -1m), ("openPipelineValue", "EUR", -800m), ("openProbabilityTotal", null, -20m)],
            Project(LeadStageChanged("t1", Lead, "open", "lost", 800m, "EUR", 20)));
        Assert.Equal(
            [("openLeads", null, 1m), ("openPipelineValue", "EUR", 800m), ("openProbabilityTotal", null, 20m)],
            Project(LeadStageChanged("t1", Lead, "lost", "open", 800m, "EUR", 20)));
    }

    [Fact]
    public void Stage_changes_that_keep_the_status_move_nothing()
    {
        Assert.Empty(Project(LeadStageChanged("t1", Lead, "open", "open", 800m, "EUR", 20)));
        Assert.Empty(Project(LeadStageChanged("t1", Lead, "won", "lost", 800m, "EUR", 20)));
    }

    [Fact]
    public void Deleting_an_open_lead_takes_it_out_of_every_figure_and_a_closed_one_out_of_the_leads_only()
    {
        Assert.Equal(
            [("leads", null, -1m), ("openLeads", null, -1m), ("openPipelineValue", "JPY", -90000m), ("openProbabilityTotal", null, -10m)],
            Project(LeadDeleted("t1", Lead, "open", 90000m, "JPY", 10)));
        Assert.Equal([("leads", null, -1m)], Project(LeadDeleted("t1", Lead, "won", 90000m, "JPY", 100)));
    }

    [Fact]
    public void Won_lost_converted_customer_updates_and_interactions_move_nothing()
    {
        Assert.Empty(Project(Envelope("crm.lead.won", new { tenantId = "t1", leadId = Lead, value = 800m, currency = "EUR" })));
        Assert.Empty(Project(Envelope("crm.lead.lost", new { tenantId = "t1", leadId = Lead, reason = "price", value = 800m, currency = "EUR" })));
        Assert.Empty(Project(Envelope("crm.lead.converted", new { tenantId = "t1", leadId = Lead, customerId = Guid.NewGuid() })));
        Assert.Empty(Project(Envelope("crm.customer.updated", new { tenantId = "t1", customerId = Guid.NewGuid(), name = "N", status = "active" })));
        Assert.Empty(Project(Envelope("crm.interaction.logged", new { tenantId = "t1", interactionId = Guid.NewGuid(), kind = "call" })));
        Assert.Empty(Project(Envelope("auth.user.registered", new { tenantId = "t1", userId = Guid.NewGuid() })));
    }

    [Fact]
    public void An_open_lead_without_its_terms_still_counts_and_leaves_the_money_to_reconciliation()
    {
        Assert.Equal([("leads", null, 1m), ("openLeads", null, 1m)], Project(Envelope("crm.lead.created", new { tenantId = "t1", leadId = Lead, status = "open" })));
    }

    [Fact]
    public void Every_figure_moved_is_declared_with_its_kind_and_the_average_divides_two_stored_figures()
    {
        var declared = Crm.Figures.ToDictionary(f => f.Name);
        EventEnvelope[] events =
        [
            CustomerCreated("t"), CustomerDeleted("t"), CustomerRestored("t"), LeadCreated("t", Lead, "open", 1m, "EUR", 1),
            LeadUpdated("t", Lead, "open", (1m, "EUR", 1), (2m, "USD", 2)), LeadStageChanged("t", Lead, "open", "won", 1m, "EUR", 1),
            LeadDeleted("t", Lead, "open", 1m, "EUR", 1),
        ];
        var changes = events.SelectMany(e => { var c = new SummaryChanges(); Crm.Project(e, c); return c.All; }).ToList();

        Assert.All(changes, change => Assert.Equal(declared[change.Figure].Kind, change.Kind));
        var average = declared["averageProbability"];
        Assert.Equal(FigureKind.Average, average.Kind);
        Assert.False(average.IsStored);
        Assert.True(declared[average.SumFigure!].IsStored);
        Assert.True(declared[average.CountFigure!].IsStored);
        Assert.True(declared["openPipelineValue"].IsStored);
    }
}
