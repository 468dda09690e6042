using Codex.Billing.Webhooks;
using Codex.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Billing.Apis;

public static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/billing/webhooks").WithTags("Webhooks");
        api.MapGet("/", ListEndpoints).RequirePermission(BillingPermissions.WebhooksRead).WithName("ListWebhookEndpoints");
        api.MapPost("/", CreateEndpoint).RequirePermission(BillingPermissions.WebhooksWrite).WithName("CreateWebhookEndpoint")
            .WithSummary("A receiver of invoice.* and subscription.* events, signed with HMAC-SHA256 over timestamp and body (Codex-Signature); the secret is answered once.");
        api.MapDelete("/{id:guid}", DeleteEndpoint).RequirePermission(BillingPermissions.WebhooksWrite).WithName("DeleteWebhookEndpoint");
        api.MapGet("/{id:guid}/deliveries", Deliveries).RequirePermission(BillingPermissions.WebhooksRead).WithName("WebhookDeliveries")
            .WithSummary("Newest first; ?status=dead is the endpoint's dead-letter list.");
        api.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/replay", Replay).RequirePermission(BillingPermissions.WebhooksWrite).WithName("ReplayWebhookDelivery");
        api.MapPost("/{id:guid}/replay", ReplayDead).RequirePermission(BillingPermissions.WebhooksWrite).WithName("ReplayDeadWebhookDeliveries")
            .WithSummary("Every delivery on the dead-letter list goes out again.");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<WebhookEndpointDto>>> ListEndpoints(WebhookService webhooks, CancellationToken cancellationToken) =>
        TypedResults.Ok(await webhooks.ListAsync(cancellationToken));

    public static async Task<Created<CreatedWebhookEndpoint>> CreateEndpoint(WebhookEndpointRequest request, WebhookService webhooks, CancellationToken cancellationToken)
    {
        var endpoint = await webhooks.CreateAsync(request, cancellationToken);
        return TypedResults.Created($"/api/v1/billing/webhooks/{endpoint.Id}", endpoint);
    }

    public static async Task<NoContent> DeleteEndpoint(Guid id, WebhookService webhooks, CancellationToken cancellationToken)
    {
        await webhooks.DeleteAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<IReadOnlyList<WebhookDeliveryDto>>> Deliveries(Guid id, WebhookService webhooks, CancellationToken cancellationToken, string? status = null) =>
        TypedResults.Ok(await webhooks.DeliveriesAsync(id, status, cancellationToken));

    public static async Task<Ok<WebhookDeliveryDto>> Replay(Guid id, Guid deliveryId, WebhookService webhooks, CancellationToken cancellationToken) =>
        TypedResults.Ok(await webhooks.ReplayAsync(id, deliveryId, cancellationToken));

    public static async Task<Ok<ReplayResult>> ReplayDead(Guid id, WebhookService webhooks, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ReplayResult(await webhooks.ReplayDeadAsync(id, cancellationToken)));
}

public sealed record ReplayResult(int Replayed);
