using System.Text.RegularExpressions;

namespace Codex.Security.Tenancy;

/// <summary>
/// What a tenant id looks like: a slug of lower-case letters, digits and inner hyphens, 3 to 50 characters
/// (<c>acme-prod</c>). The reserved <see cref="CodexClaims.PlatformTenant"/> is not one, so no route that
/// takes a tenant id can be made to act on the platform's own users.
/// </summary>
public static partial class TenantIds
{
    public const string Pattern = "^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$";

    public static bool IsValid(string? tenantId) => tenantId is not null && Slug().IsMatch(tenantId);

    /// <summary>The id, or a 400 problem naming it.</summary>
    public static string Require(string? tenantId) => IsValid(tenantId)
        ? tenantId!
        : throw new BadRequestException("The tenant id must be a slug: a-z, 0-9 and inner hyphens, 3 to 50 characters.", "tenant_id_invalid");

    [GeneratedRegex(Pattern)]
    private static partial Regex Slug();
}
