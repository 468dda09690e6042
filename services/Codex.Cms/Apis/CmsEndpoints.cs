using Codex.Cms.Contracts;
using Codex.Cms.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Cms.Apis;

/// <summary>CMS's request pipeline after the defaults: who the caller is, then every API.</summary>
public static class CmsEndpoints
{
    public static WebApplication MapCmsEndpoints(this WebApplication app)
    {
        app.UseCodexAuthentication();
        app.MapApiReference();
        app.MapContentTypesApi();
        app.MapLocalesApi();
        app.MapContentItemsApi();
        app.MapDeliveryApi();
        app.MapPagesApi();
        app.MapMediaApi();
        // Platform's reconciliation reads this; /internal is never routed by the gateway.
        app.MapGet("/internal/summary/{tenantId}", Summary).RequireServiceCaller(ResourceNames.Services.Platform).WithTags("Internal").WithName("TenantSummary");
        app.MapDeadLetterApi();
        return app;
    }

    public static async Task<Ok<CmsSummary>> Summary(string tenantId, SummaryService summaries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await summaries.ForTenantAsync(tenantId, cancellationToken));
}
