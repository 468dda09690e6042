using System.Text.Json.Nodes;
using Codex.Cms.Contracts;
using Codex.Cms.Services;
using Codex.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Cms.Apis;

public static class ContentTypesApi
{
    public static RouteGroupBuilder MapContentTypesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/cms/types").WithTags("Content types");
        api.MapGet("/", ListTypes).RequirePermission(CmsPermissions.TypesRead).WithName("ListContentTypes");
        api.MapPost("/", CreateType).RequirePermission(CmsPermissions.TypesWrite).WithName("CreateContentType")
            .WithSummary("A slug unique in the tenant and fields: text, richText, number, boolean, date, enum, media, reference, component, json.");
        api.MapGet("/{slug}", GetContentType).RequirePermission(CmsPermissions.TypesRead).WithName("GetContentType");
        api.MapPut("/{slug}", UpdateType).RequirePermission(CmsPermissions.TypesWrite).WithName("UpdateContentType")
            .WithSummary("Replace name, description, review rule and fields; a change that would leave items invalid is a 409 listing them.");
        api.MapDelete("/{slug}", DeleteType).RequirePermission(CmsPermissions.TypesWrite).WithName("DeleteContentType")
            .WithSummary("Only a type without items and without reference fields pointing at it.");
        api.MapGet("/{slug}/schema", TypeSchema).RequirePermission(CmsPermissions.TypesRead).WithName("ContentTypeSchema")
            .WithSummary("The type's item data as a JSON Schema (draft 2020-12).");
        return api;
    }

    public static async Task<Ok<IReadOnlyList<ContentTypeDto>>> ListTypes(ContentTypeService types, CancellationToken cancellationToken) =>
        TypedResults.Ok(await types.ListAsync(cancellationToken));

    public static async Task<Created<ContentTypeDto>> CreateType(CreateContentTypeRequest request, ContentTypeService types, CancellationToken cancellationToken)
    {
        var type = await types.CreateAsync(request, cancellationToken);
        return TypedResults.Created($"/api/v1/cms/types/{type.Slug}", type);
    }

    public static async Task<Ok<ContentTypeDto>> GetContentType(string slug, ContentTypeService types, CancellationToken cancellationToken) =>
        TypedResults.Ok(await types.GetAsync(slug, cancellationToken));

    public static async Task<Ok<ContentTypeDto>> UpdateType(string slug, UpdateContentTypeRequest request, ContentTypeService types, CancellationToken cancellationToken) =>
        TypedResults.Ok(await types.UpdateAsync(slug, request, cancellationToken));

    public static async Task<NoContent> DeleteType(string slug, ContentTypeService types, CancellationToken cancellationToken)
    {
        await types.DeleteAsync(slug, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<JsonObject>> TypeSchema(string slug, ContentTypeService types, CancellationToken cancellationToken) =>
        TypedResults.Ok(await types.SchemaAsync(slug, cancellationToken));
}
