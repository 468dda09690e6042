using System.Text.Json;

namespace Codex.Crm.Model;

public sealed class Customer : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public required string Name { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Company { get; set; }
    public string Status { get; set; } = CustomerStatuses.Active;
    public string? Source { get; set; }
    public List<string> Tags { get; set; } = [];
    public JsonDocument CustomFields { get; set; } = JsonDocument.Parse("{}");

    /// <summary>Name, email, company and tags in lower case: the one column search reads (trigram-indexed).</summary>
    public string SearchText { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>Recomputes <see cref="SearchText"/>; called after every change to the searched fields.</summary>
    public void Reindex() =>
        SearchText = string.Join(' ', new[] { Name, Email, Company }.Concat(Tags).Where(s => !string.IsNullOrEmpty(s))).ToLowerInvariant();
}

public static class CustomerStatuses
{
    public const string Prospect = "prospect";
    public const string Active = "active";
    public const string Inactive = "inactive";
    public const string Churned = "churned";

    public static readonly IReadOnlyList<string> All = [Prospect, Active, Inactive, Churned];
}
