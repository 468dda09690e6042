using System.Security.Claims;
using Codex.Auth.Contracts;
using Codex.Auth.Services;
using Codex.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Auth.Apis;

/// <summary>A tenant's API keys: create (the secret once), list, revoke.</summary>
public static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/auth/api-keys").WithTags("API keys");
        api.MapPost("/", CreateKey).RequirePermission("auth.apikeys.write").WithName("CreateApiKey").WithSummary("Create a key; its secret is in this answer only.");
        api.MapGet("/", ListKeys).RequirePermission("auth.apikeys.read").WithName("ListApiKeys").WithSummary("Prefix, scopes, last use and expiry of each key.");
        api.MapDelete("/{id:guid}", RevokeKey).RequirePermission("auth.apikeys.write").WithName("RevokeApiKey");
        return api;
    }

    public static async Task<Created<CreatedApiKey>> CreateKey(
        CreateApiKeyRequest request, ClaimsPrincipal user, ApiKeyService keys, CancellationToken cancellationToken)
    {
        var created = await keys.CreateAsync(request, user, cancellationToken);
        return TypedResults.Created($"/api/v1/auth/api-keys/{created.ApiKey.Id}", created);
    }

    public static async Task<Ok<IReadOnlyList<ApiKeyDto>>> ListKeys(ApiKeyService keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(await keys.ListAsync(cancellationToken));

    public static async Task<NoContent> RevokeKey(Guid id, ApiKeyService keys, CancellationToken cancellationToken)
    {
        await keys.RevokeAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }
}
