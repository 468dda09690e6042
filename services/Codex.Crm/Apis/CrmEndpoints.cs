using Codex.Crm.Contracts;
using Codex.Crm.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Crm.Apis;

/// <summary>CRM's request pipeline after the defaults: who the caller is, then every API.</summary>
public static class CrmEndpoints
{
    public static WebApplication MapCrmEndpoints(this WebApplication app)
    {
        app.UseCodexAuthentication();
        app.MapApiReference();
        app.MapCustomersApi();
        app.MapLeadsApi();
        app.MapInteractionsApi();
        app.MapPipelinesApi();
        // Platform's reconciliation reads this; /internal is never routed by the gateway.
        app.MapGet("/internal/summary/{tenantId}", Summary).RequireServiceCaller(ResourceNames.Services.Platform).WithTags("Internal").WithName("TenantSummary");
        app.MapDeadLetterApi();
        return app;
    }

    public static async Task<Ok<CrmSummary>> Summary(string tenantId, SummaryService summaries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await summaries.ForTenantAsync(tenantId, cancellationToken));
}
