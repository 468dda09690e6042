using System.Text.Json;
using Codex.Messaging;

namespace Codex.Platform.Summaries;

/// <summary>
/// CRM's figures: customers, leads, and the open pipeline (open leads, their value per currency, their
/// probabilities' total and average). Lead events carry the lead's terms before and after, so no state is kept here.
/// </summary>
public sealed class CrmSummaryProjection : ISummaryProjection
{
    public const string Open = "open";

    public string Service => ResourceNames.Services.Crm;

    public IReadOnlyList<FigureDefinition> Figures { get; } =
    [
        FigureDefinition.Count("customers"),
        FigureDefinition.Count("leads"),
        FigureDefinition.Count("openLeads"),
        FigureDefinition.Amounts("openPipelineValue"),
        FigureDefinition.Count("openProbabilityTotal"),
        FigureDefinition.Average("averageProbability", "openProbabilityTotal", "openLeads"),
    ];

    // crm.lead.won/lost/converted, crm.customer.updated and crm.interaction.logged move nothing: stage_changed already
    // moved the open figures when the status changed.
    public void Project(EventEnvelope envelope, SummaryChanges changes)
    {
        var data = envelope.Data;
        switch (envelope.Type)
        {
            case "crm.customer.created" or "crm.customer.restored":
                changes.Add("customers", 1);
                break;
            case "crm.customer.deleted":
                changes.Add("customers", -1);
                break;
            case "crm.lead.created":
                changes.Add("leads", 1);
                if (IsOpen(data, "status"))
                {
                    MoveOpen(changes, Terms(data), 1);
                }
                break;
            case "crm.lead.deleted":
                changes.Add("leads", -1);
                if (IsOpen(data, "status"))
                {
                    MoveOpen(changes, Terms(data), -1);
                }
                break;
            case "crm.lead.stage_changed" when IsOpen(data, "previousStatus") != IsOpen(data, "status"):
                MoveOpen(changes, Terms(data), IsOpen(data, "status") ? 1 : -1);
                break;
            case "crm.lead.updated" when IsOpen(data, "status"):
                Reprice(changes, Terms(data, "previousValue", "previousCurrency", "previousProbability"), Terms(data));
                break;
        }
    }

    /// <summary>A lead entering (+1) or leaving (-1) the open pipeline.</summary>
    private static void MoveOpen(SummaryChanges changes, LeadTerms? terms, int sign)
    {
        changes.Add("openLeads", sign);
        if (terms is { } t)
        {
            changes.AddAmount("openPipelineValue", t.Currency, sign * t.Value).Add("openProbabilityTotal", sign * t.Probability);
        }
    }

    /// <summary>An open lead's new terms: only what differs is written (one delta when the currency is unchanged).</summary>
    private static void Reprice(SummaryChanges changes, LeadTerms? before, LeadTerms? after)
    {
        if (before is not { } b || after is not { } a)
        {
            return;   // terms missing from the event: reconciliation repairs the pipeline from CRM's own figures
        }
        if (b.Currency == a.Currency)
        {
            AddIfMoved(changes, "openPipelineValue", a.Currency, a.Value - b.Value);
        }
        else
        {
            AddIfMoved(changes, "openPipelineValue", b.Currency, -b.Value);
            AddIfMoved(changes, "openPipelineValue", a.Currency, a.Value);
        }
        if (a.Probability != b.Probability)
        {
            changes.Add("openProbabilityTotal", a.Probability - b.Probability);
        }
    }

    private static void AddIfMoved(SummaryChanges changes, string figure, string currency, decimal delta)
    {
        if (delta != 0)
        {
            changes.AddAmount(figure, currency, delta);
        }
    }

    private static bool IsOpen(JsonElement data, string property) =>
        data.TryGetProperty(property, out var status) && status.ValueKind == JsonValueKind.String && status.GetString() == Open;

    // Tolerant reading: a malformed event still reaches the audit log (same transaction); its money is left to reconciliation.
    private static LeadTerms? Terms(JsonElement data, string value = "value", string currency = "currency", string probability = "probability") =>
        data.TryGetProperty(value, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var amount)
        && data.TryGetProperty(currency, out var c) && c.ValueKind == JsonValueKind.String && c.GetString() is { Length: > 0 } code
        && data.TryGetProperty(probability, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetDecimal(out var chance)
            ? new LeadTerms(amount, code, chance)
            : null;

    private readonly record struct LeadTerms(decimal Value, string Currency, decimal Probability);
}
