using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;

namespace Codex.Security.Authorization;

/// <summary>The caller's token must carry a permission covering <see cref="Permission"/>.</summary>
public sealed class PermissionRequirement(string permission) : IAuthorizationRequirement
{
    public string Permission { get; } = permission;
}

/// <summary>Superadmins pass; others need a <c>perm</c> claim that covers the requirement.</summary>
public sealed class PermissionAuthorizationHandler : AuthorizationHandler<PermissionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        if (Permissions.Holds(context.User, requirement.Permission))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

/// <summary><c>.RequirePermission("crm.leads.write")</c> on a policy or an endpoint.</summary>
public static class PermissionPolicyExtensions
{
    /// <summary>Adds a permission requirement to a policy.</summary>
    public static AuthorizationPolicyBuilder RequirePermission(this AuthorizationPolicyBuilder policy, string permission) =>
        policy.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(permission));

    /// <summary>Requires an authenticated caller holding <paramref name="permission"/>.</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string permission) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy.RequirePermission(permission));
}
