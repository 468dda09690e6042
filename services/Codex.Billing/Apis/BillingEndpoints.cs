using Codex.Billing.Contracts;
using Codex.Billing.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Billing.Apis;

/// <summary>Billing's request pipeline after the defaults: who the caller is, then every API.</summary>
public static class BillingEndpoints
{
    public static WebApplication MapBillingEndpoints(this WebApplication app)
    {
        app.UseCodexAuthentication();
        app.MapApiReference();
        app.MapPlansApi();
        app.MapSubscriptionsApi();
        app.MapInvoicesApi();
        app.MapWebhooksApi();
        // Platform's reconciliation reads this; /internal is never routed by the gateway.
        app.MapGet("/internal/summary/{tenantId}", Summary).RequireServiceCaller(ResourceNames.Services.Platform).WithTags("Internal").WithName("TenantSummary");
        app.MapDeadLetterApi();
        return app;
    }

    public static async Task<Ok<BillingSummary>> Summary(string tenantId, SummaryService summaries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await summaries.ForTenantAsync(tenantId, cancellationToken));
}
