using System.Security.Claims;
using Codex.Security;
using Codex.Security.Authorization;

namespace Codex.Web.Session;

/// <summary>
/// The claims of the console's cookie: Auth's own names (<see cref="CodexClaims"/>) for who is signed in,
/// plus the key of their stored tokens.
/// </summary>
public static class ConsoleClaims
{
    /// <summary>The console session: the Redis key of the user's tokens (the tokens never leave the server).</summary>
    public const string Session = "console_sid";

    public static string? SessionOf(ClaimsPrincipal user) => user.FindFirst(Session)?.Value;

    public static bool IsSuperadmin(this ClaimsPrincipal user) => user.HasClaim(CodexClaims.Role, CodexClaims.SuperadminRole);

    public static bool Holds(this ClaimsPrincipal user, string permission) => Permissions.Holds(user, permission);

    public static string Email(this ClaimsPrincipal user) => user.FindFirst(CodexClaims.Email)?.Value ?? "";

    public static string Tenant(this ClaimsPrincipal user) => user.FindFirst(CodexClaims.Tenant)?.Value ?? "";
}

public static class ConsolePolicies
{
    public const string Superadmin = "console-superadmin";
    public const string TenantAdmin = "console-tenant-admin";

    /// <summary>A tenant user who may see the tenant's users: the tenant-admin pages' common ground.</summary>
    public static bool IsTenantAdmin(ClaimsPrincipal user) => !user.IsSuperadmin() && user.Holds("auth.users.read");
}
