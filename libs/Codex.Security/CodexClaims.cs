namespace Codex.Security;

/// <summary>The claims of a Codex access token: short JWT names, read without inbound mapping.</summary>
public static class CodexClaims
{
    public const string Subject = "sub";
    public const string Tenant = "tid";
    public const string Email = "email";
    public const string Role = "role";
    public const string Permission = "perm";
    public const string Session = "sid";
    public const string AuthMethods = "amr";

    /// <summary>The API key a token stands for (a key used without a user: the gateway's key token).</summary>
    public const string ApiKey = "akid";

    /// <summary>The <c>amr</c> of a key token: no one signed in, a key was presented.</summary>
    public const string KeyAuthMethod = "key";

    /// <summary>
    /// The tenant of platform users (superadmins). Tenant ids are slugs (<c>[a-z0-9-]</c>), so this can
    /// never name a real tenant, and a tenant filter with it matches no tenant's rows.
    /// </summary>
    public const string PlatformTenant = "_platform";

    /// <summary>The platform-wide role.</summary>
    public const string SuperadminRole = "superadmin";

    /// <summary>The authorization policy that admits superadmins only.</summary>
    public const string SuperadminPolicy = "superadmin";
}

/// <summary>Headers the gateway sets for services; clients cannot forge them past the gateway.</summary>
public static class CodexHeaders
{
    /// <summary>The tenant the gateway resolved from the API key.</summary>
    public const string TenantId = "X-Tenant-Id";
}
