using Codex.Cms.Contracts;
using Codex.Cms.Services;
using Codex.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Cms.Apis;

/// <summary>The tenant's locales: configured with the content model (types), by the same permission.</summary>
public static class LocalesApi
{
    public static RouteGroupBuilder MapLocalesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/cms/locales").WithTags("Locales");
        api.MapGet("/", GetLocales).RequirePermission(CmsPermissions.TypesRead).WithName("GetLocales");
        api.MapPut("/", SaveLocales).RequirePermission(CmsPermissions.TypesWrite).WithName("SaveLocales")
            .WithSummary("Replace the locales, their fallbacks and the default; a locale that still has variants is not removed (409).");
        return api;
    }

    public static async Task<Ok<LocaleSettings>> GetLocales(LocaleService locales, CancellationToken cancellationToken) =>
        TypedResults.Ok(await locales.GetAsync(cancellationToken));

    public static async Task<Ok<LocaleSettings>> SaveLocales(LocaleSettings request, LocaleService locales, CancellationToken cancellationToken) =>
        TypedResults.Ok(await locales.SaveAsync(request, cancellationToken));
}
