using System.Text.Json;
using Codex.Messaging;

namespace Codex.Platform.Summaries;

/// <summary>
/// Billing's figures: subscriptions (all, paying, in trial), MRR, and open and paid invoice totals per currency.
/// Subscription events carry the MRR change they cause and the status they leave, invoice events their total, so no
/// state is kept here.
/// </summary>
public sealed class BillingSummaryProjection : ISummaryProjection
{
    private const string Active = "active";
    private const string PastDue = "past_due";
    private const string Trialing = "trialing";

    public string Service => ResourceNames.Services.Billing;

    public IReadOnlyList<FigureDefinition> Figures { get; } =
    [
        FigureDefinition.Count("subscriptions"),
        FigureDefinition.Count("activeSubscriptions"),
        FigureDefinition.Count("trialingSubscriptions"),
        FigureDefinition.Amounts("mrr"),
        FigureDefinition.Amounts("openInvoices"),
        FigureDefinition.Amounts("paidInvoices"),
    ];

    // billing.subscription.renewed and a cancellation at period end move nothing until the subscription ends.
    public void Project(EventEnvelope envelope, SummaryChanges changes)
    {
        var data = envelope.Data;
        switch (envelope.Type)
        {
            case "billing.subscription.created":
                changes.Add("subscriptions", 1);
                Enter(changes, Text(data, "status"), 1);
                break;
            case "billing.subscription.trial_ended":
                changes.Add("trialingSubscriptions", -1).Add("activeSubscriptions", 1);
                break;
            case "billing.subscription.cancelled" when !Flag(data, "atPeriodEnd"):
            case "billing.subscription.ended":
                Enter(changes, Text(data, "previousStatus"), -1);
                break;
            // An issued invoice is open (or paid at once when nothing is owed); paying, voiding or writing it off closes it.
            case "billing.invoice.issued" when Text(data, "status") != "paid":
                Invoice(changes, data, "openInvoices", 1);
                break;
            case "billing.invoice.paid":
                Invoice(changes, data, "openInvoices", -1);
                Invoice(changes, data, "paidInvoices", 1);
                break;
            case "billing.invoice.voided" or "billing.invoice.uncollectible":
                Invoice(changes, data, "openInvoices", -1);
                break;
        }
        if (envelope.Type.StartsWith("billing.subscription.", StringComparison.Ordinal)
            && data.TryGetProperty("mrrDelta", out var delta) && delta.TryGetDecimal(out var amount) && amount != 0
            && Text(data, "currency") is { Length: 3 } currency)
        {
            changes.AddAmount("mrr", currency, amount);
        }
    }

    private static void Invoice(SummaryChanges changes, JsonElement data, string figure, int sign)
    {
        if (data.TryGetProperty("amount", out var amount) && amount.TryGetDecimal(out var value) && value != 0 && Text(data, "currency") is { Length: 3 } currency)
        {
            changes.AddAmount(figure, currency, sign * value);
        }
    }

    private static void Enter(SummaryChanges changes, string? status, int sign)
    {
        switch (status)
        {
            case Active or PastDue:
                changes.Add("activeSubscriptions", sign);
                break;
            case Trialing:
                changes.Add("trialingSubscriptions", sign);
                break;
        }
    }

    private static string? Text(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Flag(JsonElement data, string name) => data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
