using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Codex.Crm.Contracts;
using Codex.Crm.Model;

namespace Codex.Crm.Services;

/// <summary>
/// The one place a customer's fields are checked and normalized: the API, the CSV import and lead
/// conversion all go through it, so a row the API would refuse is never imported.
/// </summary>
public static class CustomerRules
{
    public const int MaxTags = 50;
    public const int MaxCustomFieldsBytes = 16 * 1024;
    public const int MaxCustomFields = 100;
    private static readonly EmailAddressAttribute EmailFormat = new();

    /// <summary>Collects every error of <paramref name="request"/> into <paramref name="errors"/>; applies it to <paramref name="customer"/> when there is none.</summary>
    public static void Apply(CustomerRequest request, Customer customer, FieldErrors errors)
    {
        var name = request.Name?.Trim();
        errors.AddIf(string.IsNullOrEmpty(name) || name.Length > 200, "name", "name is required, up to 200 characters.");
        var email = Fields.Text(request.Email)?.ToLowerInvariant();
        errors.AddIf(email is not null && (email.Length > 320 || !EmailFormat.IsValid(email)), "email", "email is not an email address.");
        var phone = Fields.Text(request.Phone);
        errors.AddIf(phone?.Length > 50, "phone", "phone is up to 50 characters.");
        var company = Fields.Text(request.Company);
        errors.AddIf(company?.Length > 200, "company", "company is up to 200 characters.");
        var status = Fields.Text(request.Status)?.ToLowerInvariant() ?? CustomerStatuses.Active;
        errors.AddIf(!CustomerStatuses.All.Contains(status), "status", $"status is one of {string.Join(", ", CustomerStatuses.All)}.");
        var source = Fields.Code(request.Source, "source", errors);
        var tags = Tags(request.Tags, errors);
        var customFields = CustomFields(request.CustomFields, errors);
        if (errors.Any)
        {
            return;
        }
        customer.Name = name!;
        customer.Email = email;
        customer.Phone = phone;
        customer.Company = company;
        customer.Status = status;
        customer.Source = source;
        customer.Tags = tags;
        customer.CustomFields = customFields!;
        customer.Reindex();
    }

    private static List<string> Tags(IReadOnlyList<string>? tags, FieldErrors errors)
    {
        var normalized = (tags ?? []).Select(t => t?.Trim().ToLowerInvariant() ?? "").Distinct(StringComparer.Ordinal).ToList();
        errors.AddIf(normalized.Count > MaxTags, "tags", $"a customer has at most {MaxTags} tags.");
        errors.AddIf(normalized.Any(t => t.Length is 0 or > 50), "tags", "each tag is 1 to 50 characters.");
        return normalized;
    }

    private static JsonDocument? CustomFields(JsonElement? value, FieldErrors errors)
    {
        if (value is not { } fields || fields.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return JsonDocument.Parse("{}");
        }
        if (fields.ValueKind != JsonValueKind.Object)
        {
            errors.Add("customFields", "customFields is a JSON object.");
            return null;
        }
        var raw = fields.GetRawText();
        if (System.Text.Encoding.UTF8.GetByteCount(raw) > MaxCustomFieldsBytes || fields.EnumerateObject().Count() > MaxCustomFields)
        {
            errors.Add("customFields", $"customFields holds at most {MaxCustomFields} fields and {MaxCustomFieldsBytes / 1024} KB.");
            return null;
        }
        return JsonDocument.Parse(raw);
    }

    public static CustomerDto ToDto(this Customer c) => new(
        c.Id, c.Name, c.Email, c.Phone, c.Company, c.Status, c.Source, c.Tags, c.CustomFields.RootElement.Clone(), c.CreatedAt, c.UpdatedAt, c.DeletedAt);
}
