using System.Globalization;
using Codex.Crm.Contracts;
using Codex.Crm.Model;

namespace Codex.Crm.Services;

/// <summary>Checks a lead's money, probability and dates; every error of a request at once.</summary>
public static class LeadRules
{
    public const decimal MaxValue = 1_000_000_000_000m;

    public static string Currency(string? currency, decimal value, FieldErrors errors)
    {
        var code = currency?.Trim().ToUpperInvariant() ?? "";
        if (!Currencies.IsKnown(code))
        {
            errors.Add("currency", $"'{currency}' is not an ISO 4217 currency code (EUR, USD, JPY …).");
            return code;
        }
        errors.AddIf(value < 0 || value > MaxValue, "value", $"value is 0 to {MaxValue:N0}.");
        errors.AddIf(!Currencies.Fits(value, code), "value", $"{code} has {Currencies.MinorUnits(code)} decimal place(s).");
        return code;
    }

    public static void Probability(int? probability, FieldErrors errors) =>
        errors.AddIf(probability is < 0 or > 100, "probability", "probability is 0 to 100.");

    public static DateOnly? CloseDate(string? text, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        errors.Add("expectedCloseDate", "expectedCloseDate is a date: YYYY-MM-DD.");
        return null;
    }

    public static LeadDto ToDto(this Lead l) => new(
        l.Id, l.Title, l.ContactName, l.ContactEmail, l.Company, l.Source, l.PipelineId, l.Stage, l.Status, l.Value, l.Currency, l.Probability,
        l.ExpectedCloseDate, l.AssignedTo, l.LostReason, l.CustomerId, l.ConvertedAt, l.StageEnteredAt, l.ClosedAt, l.CreatedAt, l.UpdatedAt);
}
