using Microsoft.AspNetCore.Http;

namespace Codex.Security.Tenancy;

/// <summary>
/// Sets the request's <see cref="TenantContext"/> from the token. The gateway's <c>X-Tenant-Id</c>
/// (the API key's tenant) must agree with the token's tenant, except for a superadmin, who acts for
/// the tenant it names. Without a token, the header names the tenant (login, password reset).
/// </summary>
public sealed class TenantMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context, TenantContext tenant)
    {
        string? named = context.Request.Headers[CodexHeaders.TenantId];
        if (context.User.Identity?.IsAuthenticated == true)
        {
            tenant.SetFrom(context.User);
            if (!string.IsNullOrEmpty(named) && named != tenant.TenantId)
            {
                if (!tenant.IsSuperadmin)
                {
                    throw new ForbiddenException("The token belongs to another tenant than the one this request is for.", "tenant_mismatch");
                }
                tenant.Set(named);
            }
        }
        else if (!string.IsNullOrEmpty(named))
        {
            tenant.Set(named);
        }
        context.TagTenant(tenant.TenantId);
        return next(context);
    }
}
