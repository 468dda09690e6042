using Codex.Web.Session;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Net.Http.Headers;

namespace Codex.Web.Api;

/// <summary>
/// Thumbnails for the media page: the browser has no token for the gateway, so the console fetches a file's
/// thumbnail as the signed-in user and streams it on.
/// </summary>
public static class MediaEndpoints
{
    public static void MapMediaEndpoints(this WebApplication app) =>
        app.MapGet("/media/{id:guid}/thumbnail", ThumbnailAsync).RequireAuthorization(ConsolePolicies.TenantAdmin);

    public static async Task<IResult> ThumbnailAsync(Guid id, CmsApi cms, AuthenticationStateProvider authentication, HttpContext context, CancellationToken cancellationToken)
    {
        // The session's tokens are found through the authentication state, which only components set: set it here.
        if (authentication is IHostEnvironmentAuthenticationStateProvider host)
        {
            host.SetAuthenticationState(Task.FromResult(new AuthenticationState(context.User)));
        }
        try
        {
            var response = await cms.ThumbnailAsync(id, cancellationToken);
            context.Response.RegisterForDispose(response);
            // The bytes never change; the cache is the browser's own (another user of this browser signs in anew).
            context.Response.Headers.CacheControl = "private, max-age=86400";
            return TypedResults.Stream(await response.Content.ReadAsStreamAsync(cancellationToken), response.Content.Headers.ContentType?.MediaType ?? "image/webp",
                entityTag: response.Headers.ETag is { } etag ? new EntityTagHeaderValue(etag.Tag, etag.IsWeak) : null);
        }
        catch (ApiProblemException ex)
        {
            return TypedResults.StatusCode(ex.Status);
        }
        catch (SessionExpiredException)
        {
            return TypedResults.Unauthorized();
        }
    }
}
