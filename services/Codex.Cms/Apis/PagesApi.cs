using Codex.Cms.Contracts;
using Codex.Cms.Services;
using Codex.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Cms.Apis;

public static class PagesApi
{
    public static IEndpointRouteBuilder MapPagesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/cms/pages").WithTags("Pages");
        api.MapGet("/", (PageService pages, CancellationToken ct) => Ok(pages.TreeAsync(ct)))
            .RequirePermission(CmsPermissions.PagesPreview).WithName("PageTree").WithSummary("The page tree, children in order.");
        api.MapPost("/", CreatePage).RequirePermission(CmsPermissions.PagesWrite).WithName("CreatePage");
        api.MapGet("/{id:guid}", (Guid id, PageService pages, CancellationToken ct) => Ok(pages.GetAsync(id, ct)))
            .RequirePermission(CmsPermissions.PagesPreview).WithName("GetPage");
        api.MapPut("/{id:guid}", (Guid id, PageRequest request, PageService pages, CancellationToken ct) => Ok(pages.UpdateAsync(id, request, ct)))
            .RequirePermission(CmsPermissions.PagesWrite).WithName("UpdatePage").WithSummary("Replace the page; a new parent or slug moves its subtree.");
        api.MapDelete("/{id:guid}", DeletePage).RequirePermission(CmsPermissions.PagesWrite).WithName("DeletePage");
        api.MapPost("/{id:guid}/publish", (Guid id, PageService pages, CancellationToken ct) => Ok(pages.PublishAsync(id, ct)))
            .RequirePermission(CmsPermissions.ContentPublish).WithName("PublishPage");
        api.MapPost("/{id:guid}/unpublish", (Guid id, PageService pages, CancellationToken ct) => Ok(pages.UnpublishAsync(id, ct)))
            .RequirePermission(CmsPermissions.ContentPublish).WithName("UnpublishPage");

        // Anyone may read a tenant's published pages: the site itself. The gateway routes it without a key.
        app.MapGet("/api/v1/cms/public/{tenant}/pages/{**path}", PublicPage).AllowAnonymous().WithTags("Pages").WithName("PublicPage")
            .Produces<PublicPage>().WithSummary("A published page by path, cached.");
        return app;
    }

    private static async Task<Ok<T>> Ok<T>(Task<T> value) => TypedResults.Ok(await value);

    public static async Task<Created<PageDto>> CreatePage(PageRequest request, PageService pages, CancellationToken cancellationToken)
    {
        var page = await pages.CreateAsync(request, cancellationToken);
        return TypedResults.Created($"/api/v1/cms/pages/{page.Id}", page);
    }

    public static async Task<NoContent> DeletePage(Guid id, PageService pages, CancellationToken cancellationToken)
    {
        await pages.DeleteAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> PublicPage(string tenant, string path, PageService pages, HttpResponse response, CancellationToken cancellationToken)
    {
        var json = await pages.PublicJsonAsync(tenant, path, cancellationToken);
        // Short: a publish evicts Codex's cache at once, but not a browser's or a CDN's.
        response.Headers.CacheControl = "public, max-age=30";
        return Results.Text(json, "application/json");
    }
}
