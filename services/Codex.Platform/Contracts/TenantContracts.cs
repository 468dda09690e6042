using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Codex.Platform.Contracts;

public static class TenantRules
{
    /// <summary>A slug: lower-case letters, digits and inner hyphens, 3 to 50 characters (<c>acme-prod</c>).</summary>
    public const string IdPattern = Codex.Security.Tenancy.TenantIds.Pattern;
    public const string PlanPattern = "^[a-z0-9][a-z0-9-]{0,49}$";
}

public sealed record CreateTenantRequest(
    [property: Required, StringLength(50), RegularExpression(TenantRules.IdPattern, ErrorMessage = "id must be a slug: a-z, 0-9 and inner hyphens, 3 to 50 characters.")] string Id,
    [property: Required, StringLength(200, MinimumLength = 1)] string Name,
    [property: Required, EmailAddress, StringLength(256)] string AdminEmail,
    [property: StringLength(256)] string? AdminPassword = null,
    [property: StringLength(50), RegularExpression(TenantRules.PlanPattern)] string? Plan = null,
    Guid? ClientId = null);

public sealed record UpdateTenantRequest(
    [property: Required, StringLength(200, MinimumLength = 1)] string Name,
    [property: Required, StringLength(50), RegularExpression(TenantRules.PlanPattern)] string Plan,
    Guid? ClientId = null);

public sealed record SuspendTenantRequest([property: Required, StringLength(500, MinimumLength = 1)] string Reason);

public sealed record RetryProvisioningRequest([property: StringLength(256)] string? AdminPassword = null);

public sealed record ProvisioningStepDto(string Service, string Status, int Attempts, string? LastError, DateTimeOffset UpdatedAt, DateTimeOffset? CompletedAt);

public sealed record TenantAdminDto(string Email, Guid? AuthUserId, bool Invited, DateTimeOffset CreatedAt);

public sealed record TenantDto(
    string Id, string Name, string Plan, string Status, Guid? ClientId, string? SuspendedReason,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<ProvisioningStepDto> Provisioning);

/// <summary>The answer to a create: the tenant and, when Auth could issue it at once, its first API key (shown only here).</summary>
public sealed record CreatedTenant(TenantDto Tenant, string? ApiKey, string? ApiKeyPrefix);

/// <summary>A freshly issued provisioned key (the previous one is revoked).</summary>
public sealed record IssuedApiKey(string ApiKey, string Prefix);

public sealed record TenantWithSummary(TenantDto Tenant, Dictionary<string, Dictionary<string, JsonElement>> Summary);

public sealed record TenantDetail(TenantDto Tenant, IReadOnlyList<TenantAdminDto> Admins, Dictionary<string, Dictionary<string, JsonElement>> Summary);

public sealed record FigureLineage(string Kind, Guid? EventId, string? EventType, DateTimeOffset? OccurredAt, string? Source, DateTimeOffset AppliedAt);

public sealed record FigureWithLineage(JsonElement Value, FigureLineage? Lineage);

