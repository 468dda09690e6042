using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Codex.Security.Authorization;

/// <summary>A signed-in caller refused a permission: who, which permission, on what.</summary>
public sealed record PermissionDenial(string TenantId, Guid? UserId, string Permission, string Resource);

/// <summary>Told of every permission denial (a service's outbox publishes them for Platform's security events).</summary>
public interface IPermissionDenialSink
{
    Task ReportAsync(PermissionDenial denial, HttpContext context);
}

/// <summary>
/// Reports 403s caused by a missing permission to the registered sinks, then answers as ASP.NET Core
/// would. Anonymous callers (401) are not reported.
/// </summary>
internal sealed class PermissionDenialReporter : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure is { } failure
            && context.User.FindFirst(CodexClaims.Tenant)?.Value is { } tenant)
        {
            var sinks = context.RequestServices.GetServices<IPermissionDenialSink>().ToList();
            var user = Guid.TryParse(context.User.FindFirst(CodexClaims.Subject)?.Value, out var id) ? id : (Guid?)null;
            foreach (var permission in failure.FailedRequirements.Select(Describe).OfType<string>())
            {
                var denial = new PermissionDenial(tenant, user, permission, $"{context.Request.Method} {context.Request.Path}");
                foreach (var sink in sinks)
                {
                    await sink.ReportAsync(denial, context);
                }
            }
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    // A permission by name; a required role (the superadmin policy) as "role:superadmin".
    private static string? Describe(IAuthorizationRequirement requirement) => requirement switch
    {
        PermissionRequirement permission => permission.Permission,
        Microsoft.AspNetCore.Authorization.Infrastructure.ClaimsAuthorizationRequirement claim =>
            $"{claim.ClaimType}:{string.Join(",", claim.AllowedValues ?? [])}",
        _ => null,
    };
}
