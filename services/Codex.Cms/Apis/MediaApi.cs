using Codex.Cms.Contracts;
using Codex.Cms.Media;
using Codex.Cms.Services;
using Codex.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Codex.Cms.Apis;

public static class MediaApi
{
    /// <summary>A file's bytes never change under its URL: caches keep it for a year and need not ask again.</summary>
    public const string CacheControl = "private, max-age=31536000, immutable";

    public static RouteGroupBuilder MapMediaApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/cms/media").WithTags("Media");
        api.MapGet("/", ListMedia).RequirePermission(CmsPermissions.MediaRead).WithName("ListMedia")
            .WithSummary("Newest first, keyset-paged; type=image (a family) or image/png.");
        api.MapPost("/", UploadMedia).RequirePermission(CmsPermissions.MediaWrite).WithName("UploadMedia")
            .WithMetadata(new RequestSizeLimitAttribute(RequestBodyLimits.MediaUpload))
            .Accepts<byte[]>("application/octet-stream")
            .WithSummary("The body is the file (streamed); ?fileName=, optional altText and caption. Its type is read from its bytes.");
        api.MapGet("/settings", (MediaService media, CancellationToken ct) => media.GetSettingsAsync(ct))
            .RequirePermission(CmsPermissions.MediaRead).WithName("GetMediaSettings");
        api.MapPut("/settings", (MediaSettingsDto request, MediaService media, CancellationToken ct) => media.SaveSettingsAsync(request, ct))
            .RequirePermission(CmsPermissions.TypesWrite).WithName("SaveMediaSettings").WithSummary("The tenant's size limit per file and the types it takes.");
        api.MapGet("/{id:guid}", (Guid id, MediaService media, CancellationToken ct) => media.GetAsync(id, ct))
            .RequirePermission(CmsPermissions.MediaRead).WithName("GetMedia");
        api.MapPut("/{id:guid}", (Guid id, UpdateMediaRequest request, MediaService media, CancellationToken ct) => media.UpdateAsync(id, request, ct))
            .RequirePermission(CmsPermissions.MediaWrite).WithName("UpdateMedia").WithSummary("Alt text and caption.");
        api.MapDelete("/{id:guid}", DeleteMedia).RequirePermission(CmsPermissions.MediaWrite).WithName("DeleteMedia")
            .WithSummary("Only a file no item or page uses (a 409 lists them).");
        api.MapGet("/{id:guid}/content", (Guid id, MediaService media, HttpContext http, CancellationToken ct) => ContentAsync(id, thumbnail: false, media, http, ct))
            .RequirePermission(CmsPermissions.MediaRead).WithName("MediaContent").WithSummary("The original, with ETag, ranges and a year's caching.");
        api.MapGet("/{id:guid}/thumbnail", (Guid id, MediaService media, HttpContext http, CancellationToken ct) => ContentAsync(id, thumbnail: true, media, http, ct))
            .RequirePermission(CmsPermissions.MediaRead).WithName("MediaThumbnail").WithSummary("An image's thumbnail (WebP, at most 320 px a side).");
        return api;
    }

    public static async Task<Ok<KeysetPage<MediaDto>>> ListMedia(
        MediaService media, CancellationToken cancellationToken, string? type = null, string? cursor = null, int limit = 20) =>
        TypedResults.Ok(await media.ListAsync(type, cursor, limit, cancellationToken));

    public static async Task<Created<MediaDto>> UploadMedia(
        HttpRequest request, MediaService media, CancellationToken cancellationToken, string? fileName = null, string? altText = null, string? caption = null)
    {
        var uploaded = await media.UploadAsync(request.Body, fileName, altText, caption, cancellationToken);
        return TypedResults.Created($"/api/v1/cms/media/{uploaded.Id}", uploaded);
    }

    public static async Task<NoContent> DeleteMedia(Guid id, MediaService media, CancellationToken cancellationToken)
    {
        await media.DeleteAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<FileStreamHttpResult> ContentAsync(Guid id, bool thumbnail, MediaService media, HttpContext http, CancellationToken ct)
    {
        var (asset, content) = await media.OpenAsync(id, thumbnail, ct);
        var headers = http.Response.Headers;
        headers.CacheControl = CacheControl;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentDisposition = new ContentDispositionHeaderValue("inline") { FileNameStar = thumbnail ? $"thumbnail-{asset.FileName}.webp" : asset.FileName }.ToString();
        // The hash is the version: an If-None-Match with it is a 304, and a Range a 206 (video, large PDFs).
        var etag = new EntityTagHeaderValue($"\"{asset.Sha256[..32]}{(thumbnail ? "-t" : "")}\"");
        return TypedResults.Stream(content, thumbnail ? ImageInspector.ThumbnailType : asset.ContentType, lastModified: asset.CreatedAt, entityTag: etag, enableRangeProcessing: true);
    }
}
