using Codex.Cms.Contracts;
using Codex.Cms.Services;
using Codex.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Cms.Apis;

public static class ContentItemsApi
{
    public static RouteGroupBuilder MapContentItemsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/cms/items").WithTags("Content items");
        api.MapGet("/", ListItems).RequirePermission(CmsPermissions.ContentPreview).WithName("ListContentItems")
            .WithSummary("Items (each locale's variant) newest change first, keyset-paged; filter by type (slug), status and locale.");
        api.MapPost("/", CreateItem).RequirePermission(CmsPermissions.ContentWrite).WithName("CreateContentItem")
            .WithSummary("A draft at version 1, its data validated against the type.");
        api.MapGet("/{id:guid}", GetItem).RequirePermission(CmsPermissions.ContentPreview).WithName("GetContentItem");
        api.MapPut("/{id:guid}", UpdateItem).RequirePermission(CmsPermissions.ContentWrite).WithName("UpdateContentItem")
            .WithSummary("Save a new version (baseVersion guards against lost updates); a live item keeps serving its published copy.");

        api.MapGet("/{id:guid}/variants", (Guid id, ContentItemService items, CancellationToken ct) => items.VariantsAsync(id, ct))
            .RequirePermission(CmsPermissions.ContentPreview).WithName("ListContentItemVariants").WithSummary("The item's variants, one per locale.");
        api.MapPost("/{id:guid}/variants", CreateVariant).RequirePermission(CmsPermissions.ContentWrite).WithName("CreateContentItemVariant")
            .WithSummary("Another locale's variant: a draft with the item's slug and shared fields, published on its own.");

        api.MapPost("/{id:guid}/submit", (Guid id, ContentItemService items, CancellationToken ct) => Ok(items.SubmitAsync(id, ct)))
            .RequirePermission(CmsPermissions.ContentWrite).WithName("SubmitContentItem").WithSummary("draft → in_review.");
        api.MapPost("/{id:guid}/approve", (Guid id, ScheduleRequest? request, ContentItemService items, CancellationToken ct) => Ok(items.ApproveAsync(id, request?.At, ct)))
            .RequirePermission(CmsPermissions.ContentApprove).WithName("ApproveContentItem").WithSummary("in_review → published, now or at {at}.");
        api.MapPost("/{id:guid}/reject", (Guid id, ContentItemService items, CancellationToken ct) => Ok(items.RejectAsync(id, ct)))
            .RequirePermission(CmsPermissions.ContentApprove).WithName("RejectContentItem").WithSummary("in_review → draft.");
        api.MapPost("/{id:guid}/publish", (Guid id, ScheduleRequest? request, ContentItemService items, CancellationToken ct) => Ok(items.PublishAsync(id, request?.At, ct)))
            .RequirePermission(CmsPermissions.ContentPublish).WithName("PublishContentItem").WithSummary("Types without review: draft → published, now or at {at}.");
        api.MapPost("/{id:guid}/unpublish", (Guid id, ScheduleRequest? request, ContentItemService items, CancellationToken ct) => Ok(items.UnpublishAsync(id, request?.At, ct)))
            .RequirePermission(CmsPermissions.ContentPublish).WithName("UnpublishContentItem").WithSummary("Now or at {at}.");
        api.MapDelete("/{id:guid}/schedule", (Guid id, ContentItemService items, CancellationToken ct) => Ok(items.CancelScheduleAsync(id, ct)))
            .RequirePermission(CmsPermissions.ContentPublish).WithName("CancelContentItemSchedule").WithSummary("Drops a scheduled publish and unpublish.");
        api.MapPost("/{id:guid}/archive", (Guid id, ContentItemService items, CancellationToken ct) => Ok(items.ArchiveAsync(id, ct)))
            .RequirePermission(CmsPermissions.ContentPublish).WithName("ArchiveContentItem");
        api.MapPost("/{id:guid}/restore", (Guid id, ContentItemService items, CancellationToken ct) => Ok(items.RestoreAsync(id, ct)))
            .RequirePermission(CmsPermissions.ContentPublish).WithName("RestoreContentItem").WithSummary("archived → draft.");

        api.MapGet("/{id:guid}/versions", ListVersions).RequirePermission(CmsPermissions.ContentPreview).WithName("ListContentItemVersions");
        api.MapGet("/{id:guid}/versions/{version:int}", GetVersion).RequirePermission(CmsPermissions.ContentPreview).WithName("GetContentItemVersion");
        api.MapGet("/{id:guid}/diff", Diff).RequirePermission(CmsPermissions.ContentPreview).WithName("DiffContentItemVersions")
            .WithSummary("Field by field, from one version to another.");
        api.MapPost("/{id:guid}/rollback", Rollback).RequirePermission(CmsPermissions.ContentWrite).WithName("RollbackContentItem")
            .WithSummary("A new version with an earlier version's slug and data.");
        return api;
    }

    private static async Task<Ok<ItemDto>> Ok(Task<ItemDto> item) => TypedResults.Ok(await item);

    public static async Task<Ok<KeysetPage<ItemDto>>> ListItems(
        ContentItemService items, CancellationToken cancellationToken, string? type = null, string? status = null, string? locale = null, string? cursor = null, int limit = 20) =>
        TypedResults.Ok(await items.ListAsync(type, status, locale, cursor, limit, cancellationToken));

    public static async Task<Created<ItemDto>> CreateVariant(Guid id, CreateVariantRequest request, ContentItemService items, CancellationToken cancellationToken)
    {
        var item = await items.CreateVariantAsync(id, request, cancellationToken);
        return TypedResults.Created($"/api/v1/cms/items/{item.Id}", item);
    }

    public static async Task<Created<ItemDto>> CreateItem(CreateItemRequest request, ContentItemService items, CancellationToken cancellationToken)
    {
        var item = await items.CreateAsync(request, cancellationToken);
        return TypedResults.Created($"/api/v1/cms/items/{item.Id}", item);
    }

    public static async Task<Ok<ItemDto>> GetItem(Guid id, ContentItemService items, CancellationToken cancellationToken) =>
        TypedResults.Ok(await items.GetAsync(id, cancellationToken));

    public static async Task<Ok<ItemDto>> UpdateItem(Guid id, UpdateItemRequest request, ContentItemService items, CancellationToken cancellationToken) =>
        TypedResults.Ok(await items.UpdateAsync(id, request, cancellationToken));

    public static async Task<Ok<IReadOnlyList<RevisionDto>>> ListVersions(Guid id, RevisionService revisions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await revisions.ListAsync(id, cancellationToken));

    public static async Task<Ok<RevisionDto>> GetVersion(Guid id, int version, RevisionService revisions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await revisions.GetAsync(id, version, cancellationToken));

    public static async Task<Ok<ItemDiff>> Diff(Guid id, int from, int to, RevisionService revisions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await revisions.DiffAsync(id, from, to, cancellationToken));

    public static async Task<Ok<ItemDto>> Rollback(Guid id, RollbackRequest request, ContentItemService items, CancellationToken cancellationToken) =>
        TypedResults.Ok(await items.RollbackAsync(id, request.Version, cancellationToken));
}
