namespace Codex.Auth.Model;

/// <summary>Auth's replica of Platform's tenant, kept from <c>platform.tenant.*</c> events.</summary>
public sealed class Tenant
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string Plan { get; set; } = "free";
    public TenantStatus Status { get; set; } = TenantStatus.Active;
    public DateTimeOffset UpdatedAt { get; set; }
}

public enum TenantStatus
{
    Active,
    Suspended,
    Deleted,
}
