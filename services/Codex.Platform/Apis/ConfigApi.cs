using System.Security.Claims;
using Codex.Platform.Contracts;
using Codex.Platform.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Platform.Apis;

public static class ConfigApi
{
    public static void MapConfigApi(this RouteGroupBuilder platform)
    {
        var config = platform.MapGroup("/config").WithTags("Config");
        config.MapGet("/", List).WithName("ListConfig");
        config.MapGet("/{key}", Get).WithName("GetConfig");
        config.MapPut("/{key}", Set).WithName("SetConfig").WithSummary("Set a key to any JSON value; the change is audited.");
        config.MapDelete("/{key}", Delete).WithName("DeleteConfig");
    }

    public static async Task<Ok<IReadOnlyList<ConfigEntryDto>>> List(ConfigService config, CancellationToken cancellationToken) =>
        TypedResults.Ok(await config.ListAsync(cancellationToken));

    public static async Task<Ok<ConfigEntryDto>> Get(string key, ConfigService config, CancellationToken cancellationToken) =>
        TypedResults.Ok(await config.GetAsync(key, cancellationToken));

    public static async Task<Ok<ConfigEntryDto>> Set(string key, ConfigValueRequest request, ConfigService config, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(await config.SetAsync(key, request, user, cancellationToken));

    public static async Task<NoContent> Delete(string key, ConfigService config, CancellationToken cancellationToken)
    {
        await config.DeleteAsync(key, cancellationToken);
        return TypedResults.NoContent();
    }
}
