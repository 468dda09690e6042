using Codex.Auth.Contracts;
using Codex.Auth.Services;
using Codex.Auth.Tokens;
using Codex.Security;
using Codex.Security.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Svc = Codex.ResourceNames.Services;

namespace Codex.Auth.Apis;

/// <summary>
/// What other services call: JWKS, key introspection (gateway), summaries (Platform), and key rotation.
/// <c>/internal</c> is never routed by the gateway, and each route admits only the services that need it,
/// by their service tokens (<see cref="ServiceTokenApi"/>).
/// </summary>
public static class InternalApi
{
    public static void MapInternalApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/jwks.json", Jwks).AllowAnonymous().WithTags("Keys").WithName("Jwks").WithSummary("The public keys that verify access tokens.");
        var internalApi = app.MapGroup("/internal").WithTags("Internal");
        internalApi.MapPost("/api-keys/introspect", Introspect).WithName("IntrospectApiKey").RequireServiceCaller(Svc.Gateway);
        internalApi.MapPost("/api-keys/token", KeyToken).WithName("IssueKeyToken").RequireServiceCaller(Svc.Gateway)
            .WithSummary("A short-lived access token for a key used without a user; its permissions are the key's scopes.");
        internalApi.MapGet("/summary/{tenantId}", Summary).WithName("TenantSummary").RequireServiceCaller(Svc.Platform);
        internalApi.MapGet("/tenants/{tenantId}/users/{userId:guid}", TenantUser).WithName("TenantUser").RequireServiceCaller(Svc.Crm)
            .WithSummary("Whether a user belongs to the tenant and may be assigned work (other services check assignees here).");
        internalApi.MapGet("/tenants/{tenantId}/standing", Standing).WithName("TenantStanding").RequireServiceCaller(Svc.Gateway)
            .WithSummary("Whether a tenant's users may call the API (the gateway asks for bearers that come without a key).");
        internalApi.MapPost("/tenants/{tenantId}/provision", Provision).WithName("ProvisionTenant").RequireServiceCaller(Svc.Platform);
        internalApi.MapPost("/tenants/{tenantId}/api-keys/provisioned", IssueProvisionedKey).WithName("IssueProvisionedKey").RequireServiceCaller(Svc.Platform);
        app.MapPost("/api/v1/auth/admin/signing-keys/rotate", Rotate).RequireAuthorization(CodexClaims.SuperadminPolicy)
            .WithTags("Keys").WithName("RotateSigningKey").WithSummary("Start signing with a new key; the old one stays published until its tokens expire.");
    }

    public static async Task<Ok<JwksDocument>> Jwks(SigningKeyStore keys, HttpContext context, CancellationToken cancellationToken)
    {
        // Short caching: a new key must reach validators well before it signs anything they see.
        context.Response.Headers.CacheControl = "public, max-age=60";
        return TypedResults.Ok(new JwksDocument(await keys.PublicJwksAsync(cancellationToken)));
    }

    public static async Task<Ok<IntrospectResponse>> Introspect(IntrospectRequest request, ApiKeyService keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(await keys.IntrospectAsync(request, cancellationToken));

    public static async Task<Ok<KeyTokenResponse>> KeyToken(IntrospectRequest request, ApiKeyService keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(await keys.TokenAsync(request, cancellationToken));

    public static async Task<Ok<AuthSummary>> Summary(string tenantId, SummaryService summaries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await summaries.ForTenantAsync(tenantId, cancellationToken));

    public static async Task<Results<Ok<TenantUserDto>, NotFound>> TenantUser(string tenantId, Guid userId, SummaryService summaries, CancellationToken cancellationToken) =>
        await summaries.UserAsync(tenantId, userId, cancellationToken) is { } user ? TypedResults.Ok(user) : TypedResults.NotFound();

    public static async Task<Ok<TenantStanding>> Standing(string tenantId, TenantGuard tenants, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tenants.StandingAsync(tenantId, cancellationToken));

    public static async Task<Ok<ProvisionedAdmin>> Provision(string tenantId, ProvisionTenantRequest request, TenantProvisioningService provisioning, CancellationToken cancellationToken) =>
        TypedResults.Ok(await provisioning.ProvisionAsync(TenantIds.Require(tenantId), request, cancellationToken));

    public static async Task<Ok<CreatedApiKey>> IssueProvisionedKey(string tenantId, TenantProvisioningService provisioning, CancellationToken cancellationToken) =>
        TypedResults.Ok(await provisioning.IssueKeyAsync(TenantIds.Require(tenantId), cancellationToken));

    public static async Task<NoContent> Rotate(SigningKeyStore keys, CancellationToken cancellationToken)
    {
        await keys.EnsureCurrentAsync(forceRotation: true, cancellationToken);
        return TypedResults.NoContent();
    }
}

public sealed record JwksDocument(IReadOnlyList<System.Text.Json.JsonElement> Keys);
