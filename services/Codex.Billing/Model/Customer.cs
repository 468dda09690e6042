namespace Codex.Billing.Model;

/// <summary>
/// Billing's copy of a CRM customer, kept from <c>crm.customer.*</c> events: a subscription is for a customer the
/// tenant has in CRM, checked here without calling CRM.
/// </summary>
public sealed class Customer : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public required string Name { get; set; }
    public string? Email { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
