using System.Collections.Frozen;
using Codex.Gateway.RateLimiting;
using Codex.Gateway.Routing;
using Codex.Security;
using Codex.Security.Authorization;

namespace Codex.Gateway.Access;

/// <summary>
/// Who may pass, per route: a tenant's API key (and, with it, a bearer of the same tenant), a
/// signed-in user's bearer alone (its tenant from the token), a superadmin's token, or nobody in particular. What passes carries the resolved tenant and a request
/// id in headers the client could not set: client-supplied internal headers are dropped first.
/// </summary>
public static class GatewayAccess
{
    public const string ApiKeyHeader = "X-API-Key";
    public const string RequestIdHeader = "X-Request-Id";

    /// <summary>Headers only the gateway may set; anything the client sent under these names is dropped.</summary>
    public static bool IsInternalHeader(string name) =>
        name.Equals(CodexHeaders.TenantId, StringComparison.OrdinalIgnoreCase)
        || name.Equals(RequestIdHeader, StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("X-Codex-", StringComparison.OrdinalIgnoreCase);

    // A route's rule by its metadata's name, parsed once rather than per request.
    private static readonly FrozenDictionary<string, Routing.Access> AccessByName =
        Enum.GetValues<Routing.Access>().ToFrozenDictionary(access => access.ToString(), StringComparer.Ordinal);

    /// <summary>Drops forged internal headers and stamps the request id; runs before anything reads them.</summary>
    public static async Task StripAndStampAsync(HttpContext context, RequestDelegate next)
    {
        // Collected first (a dictionary cannot lose entries while it is enumerated), and only when there are any.
        List<string>? forged = null;
        foreach (var header in context.Request.Headers)
        {
            if (IsInternalHeader(header.Key))
            {
                (forged ??= []).Add(header.Key);
            }
        }
        foreach (var name in forged ?? [])
        {
            context.Request.Headers.Remove(name);
        }
        var requestId = System.Diagnostics.Activity.Current?.TraceId.ToHexString() ?? Guid.CreateVersion7().ToString("N");
        context.Request.Headers[RequestIdHeader] = requestId;
        context.Response.Headers[RequestIdHeader] = requestId;
        await next(context);
    }

    /// <summary>The proxy-pipeline step: checks the route's access rule, then forwards with the tenant.</summary>
    public static async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        // A declared length over the route's limit is refused before anything is read or checked
        // (a chunked body over it is stopped by Kestrel as it streams: see DownstreamErrors).
        var limit = context.GetReverseProxyFeature().Route.Config.MaxRequestBodySize;
        if (limit > 0 && context.Request.ContentLength > limit)
        {
            throw new BadHttpRequestException($"The request body is larger than this route's limit of {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
        }
        var route = context.GetReverseProxyFeature().Route.Config;
        var access = route.Metadata is { } metadata && metadata.TryGetValue(GatewayRoutes.AccessKey, out var value)
            ? AccessByName[value]
            : Routing.Access.ApiKey;
        var user = context.User;
        var hasBearer = context.Request.Headers.Authorization.Count > 0;
        if (hasBearer && user.Identity?.IsAuthenticated != true)
        {
            throw context.Items[Security.Revocation.RevokedTokens.ReasonItem] is Security.Revocation.RevokedBecause.TenantSuspended
                ? new ForbiddenException("The tenant is suspended.", "tenant_suspended")
                : new UnauthorizedException("The bearer token is not valid.", "invalid_token");
        }
        var superadmin = user.HasClaim(CodexClaims.Role, CodexClaims.SuperadminRole);

        switch (access)
        {
            // A public route (sign-in) with a key: the key names the tenant, as on any other route.
            case Routing.Access.Public when !string.IsNullOrWhiteSpace(context.Request.Headers[ApiKeyHeader]):
                goto case Routing.Access.ApiKey;
            case Routing.Access.Public:
                break;
            case Routing.Access.Superadmin when !superadmin:
                throw hasBearer
                    ? new ForbiddenException("Platform routes are for superadmins.", "superadmin_required")
                    : new UnauthorizedException("Platform routes need a superadmin's bearer token.", "token_required");
            case Routing.Access.Superadmin:
                break;
            case Routing.Access.ApiKey:
                var usesKey = !string.IsNullOrWhiteSpace(context.Request.Headers[ApiKeyHeader]);
                var key = hasBearer && !usesKey
                    ? await ResolveSessionAsync(context, user)
                    : await ResolveKeyAsync(context);
                // On a public route (sign-in) the key only names the tenant: no scope is needed, no key token is made.
                var keyActs = access == Routing.Access.ApiKey;
                if (usesKey && keyActs)
                {
                    RequireScope(route.ClusterId!, context.Request.Method, key);
                }
                var tenant = key.TenantId!;
                var tokenTenant = user.FindFirst(CodexClaims.Tenant)?.Value;
                if (hasBearer && tokenTenant != tenant && !superadmin)
                {
                    throw new ForbiddenException("The bearer token belongs to another tenant than the API key.", "tenant_mismatch");
                }
                context.Request.Headers[CodexHeaders.TenantId] = tenant;
                context.Items[CodexHeaders.TenantId] = tenant;
                context.TagTenant(tenant);
                if (!await RateLimits.EnforceAsync(context, key))
                {
                    return;
                }
                if (!hasBearer && keyActs)
                {
                    context.Request.Headers.Authorization = $"Bearer {await KeyTokenAsync(context, key)}";
                }
                break;
        }
        await next(context);
    }

    /// <summary>
    /// A key bounds every request that carries it: the route's service and the method's action (GET, HEAD and
    /// OPTIONS read, the rest write) must be within its scopes. The service then checks the exact permission,
    /// the key's own scopes when no user came with it.
    /// </summary>
    private static void RequireScope(string service, string method, KeyIntrospection key)
    {
        var action = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) ? "read" : "write";
        if (!Permissions.Reaches(key.Scopes ?? [], service, action))
        {
            throw new ForbiddenException($"The API key's scopes do not allow {action} access to {service}.", "insufficient_scope");
        }
    }

    /// <summary>A key without a user: the service sees Auth's token for the key, whose permissions are its scopes.</summary>
    private static async Task<string> KeyTokenAsync(HttpContext context, KeyIntrospection key)
    {
        KeyToken token;
        try
        {
            token = await context.RequestServices.GetRequiredService<ApiKeyResolver>()
                .KeyTokenAsync(context.Request.Headers[ApiKeyHeader].ToString(), key, context.RequestAborted);
        }
        catch (HttpRequestException ex)
        {
            throw new ServiceUnavailableException("API keys cannot be checked right now; try again shortly.", "auth_unavailable", ex);
        }
        return token is { Active: true, AccessToken: { } bearer } ? bearer
            : token.Reason == "tenant_suspended" ? throw new ForbiddenException("The tenant of this API key is suspended.", "tenant_suspended")
            : throw new UnauthorizedException($"The API key is not valid ({token.Reason ?? "inactive"}).", "api_key_invalid");
    }

    /// <summary>
    /// A signed-in user without a key (the admin console): the validated token names the tenant, which
    /// must still stand (a suspended tenant's tokens stop at once, as its keys do). Limits apply per
    /// user and per tenant.
    /// </summary>
    private static async Task<KeyIntrospection> ResolveSessionAsync(HttpContext context, System.Security.Claims.ClaimsPrincipal user)
    {
        var tenant = user.FindFirst(CodexClaims.Tenant)?.Value;
        if (string.IsNullOrEmpty(tenant) || !Guid.TryParse(user.FindFirst(CodexClaims.Subject)?.Value, out var userId))
        {
            throw new UnauthorizedException("The bearer token names no tenant or user.", "invalid_token");
        }
        KeyIntrospection answer;
        try
        {
            answer = await context.RequestServices.GetRequiredService<ApiKeyResolver>().ResolveTenantAsync(tenant, userId, context.RequestAborted);
        }
        catch (HttpRequestException ex)
        {
            throw new ServiceUnavailableException("The tenant cannot be checked right now; try again shortly.", "auth_unavailable", ex);
        }
        return answer.Active
            ? answer
            : answer.Reason == "tenant_suspended"
                ? throw new ForbiddenException("The tenant is suspended.", "tenant_suspended")
                : throw new UnauthorizedException("The tenant of this token is not known.", "tenant_unknown");
    }

    private static async Task<KeyIntrospection> ResolveKeyAsync(HttpContext context)
    {
        string? key = context.Request.Headers[ApiKeyHeader];
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new UnauthorizedException($"An {ApiKeyHeader} header is required.", "api_key_required");
        }
        if (key.Length > 200)
        {
            throw new UnauthorizedException("The API key is not valid.", "api_key_invalid");
        }
        var resolver = context.RequestServices.GetRequiredService<ApiKeyResolver>();
        KeyIntrospection answer;
        try
        {
            answer = await resolver.ResolveAsync(key, context.RequestAborted);
        }
        catch (HttpRequestException ex)
        {
            throw new ServiceUnavailableException("API keys cannot be checked right now; try again shortly.", "auth_unavailable", ex);
        }
        // A cached answer may outlive the key's expiry by the cache's minute: the expiry itself is checked on each use.
        if (answer is { Active: true, ExpiresAt: { } expires } && expires <= context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow())
        {
            throw new UnauthorizedException("The API key is not valid (expired).", "api_key_invalid");
        }
        if (answer.Active && answer.TenantId is not null && answer.KeyId is not null)
        {
            return answer;
        }
        throw answer.Reason == "tenant_suspended"
            ? new ForbiddenException("The tenant of this API key is suspended.", "tenant_suspended")
            : new UnauthorizedException($"The API key is not valid ({answer.Reason ?? "inactive"}).", "api_key_invalid");
    }
}
