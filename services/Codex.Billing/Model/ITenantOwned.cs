namespace Codex.Billing.Model;

/// <summary>A row that belongs to one tenant: the DbContext filters every query of it by the caller's tenant.</summary>
public interface ITenantOwned
{
    string TenantId { get; }
}
