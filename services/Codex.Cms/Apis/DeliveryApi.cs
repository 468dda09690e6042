using Codex.Cms.Contracts;
using Codex.Cms.Services;
using Codex.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Cms.Apis;

/// <summary>
/// What a site or app reads: published content, with a key holding <c>cms.read</c> (<c>cms.delivery.read</c>); and the
/// same lists over working copies (drafts included) for previews, with <c>cms.content.preview</c>, which no read scope covers.
/// </summary>
public static class DeliveryApi
{
    public static IEndpointRouteBuilder MapDeliveryApi(this IEndpointRouteBuilder app)
    {
        var delivery = app.MapGroup("/api/v1/cms/delivery").WithTags("Delivery");
        delivery.MapGet("/{type}", (string type, HttpRequest request, DeliveryService items, CancellationToken ct) => ListAsync(type, request, items, preview: false, ct))
            .RequirePermission(CmsPermissions.DeliveryRead).WithName("DeliverContentItems")
            .WithSummary("Published items of a type: filter[field][op]=value, sort=field|-field, fields=a,b, locale (with its fallbacks), limit, cursor.");
        delivery.MapGet("/{type}/{slug}", (string type, string slug, string? locale, DeliveryService items, CancellationToken ct) => GetAsync(type, slug, locale, items, preview: false, ct))
            .RequirePermission(CmsPermissions.DeliveryRead).WithName("DeliverContentItem");

        var preview = app.MapGroup("/api/v1/cms/preview").WithTags("Delivery");
        preview.MapGet("/{type}", (string type, HttpRequest request, DeliveryService items, CancellationToken ct) => ListAsync(type, request, items, preview: true, ct))
            .RequirePermission(CmsPermissions.ContentPreview).WithName("PreviewContentItems").WithSummary("As delivery, over working copies (drafts and items in review).");
        preview.MapGet("/{type}/{slug}", (string type, string slug, string? locale, DeliveryService items, CancellationToken ct) => GetAsync(type, slug, locale, items, preview: true, ct))
            .RequirePermission(CmsPermissions.ContentPreview).WithName("PreviewContentItem");
        return app;
    }

    private static async Task<Ok<KeysetPage<DeliveredItem>>> ListAsync(string type, HttpRequest request, DeliveryService items, bool preview, CancellationToken ct) =>
        TypedResults.Ok(await items.ListAsync(type, request.Query.ToDictionary(q => q.Key, q => q.Value, StringComparer.Ordinal), preview, ct));

    private static async Task<Ok<DeliveredItem>> GetAsync(string type, string slug, string? locale, DeliveryService items, bool preview, CancellationToken ct) =>
        TypedResults.Ok(await items.GetAsync(type, slug, locale, preview, ct));
}
