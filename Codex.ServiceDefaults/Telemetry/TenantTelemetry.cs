using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Codex;

/// <summary>
/// Tags a request with its tenant once it is known: the request span and ASP.NET Core's
/// <c>http.server.request.duration</c>, so the dashboard's traces and metrics can be read per tenant.
/// </summary>
public static class TenantTelemetry
{
    /// <summary>The tag name, on spans and metrics alike.</summary>
    public const string TenantTag = "codex.tenant_id";

    public static void TagTenant(this HttpContext context, string? tenantId)
    {
        if (string.IsNullOrEmpty(tenantId))
        {
            return;
        }
        context.Features.Get<IHttpActivityFeature>()?.Activity.SetTag(TenantTag, tenantId);
        context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new(TenantTag, tenantId));
    }
}
