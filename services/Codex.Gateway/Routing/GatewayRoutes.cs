using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Codex.Gateway.Routing;

/// <summary>
/// The routes, generated from the one list of services: <c>/api/v1/&lt;service&gt;/{**rest}</c> to each.
/// A destination is the logical <c>http://&lt;service&gt;</c>; Microsoft.Extensions.ServiceDiscovery.Yarp
/// resolves it to every endpoint (replica) the environment names, and YARP balances over them. Only the few paths that need no API key are named here.
/// </summary>
public static class GatewayRoutes
{
    /// <summary>Route metadata: how a route is let in.</summary>
    public const string AccessKey = "Codex.Access";

    /// <summary>The services behind the gateway (the gateway and the console are not).</summary>
    public static readonly IReadOnlyList<string> Routed =
    [
        ResourceNames.Services.Auth, ResourceNames.Services.Crm, ResourceNames.Services.Cms, ResourceNames.Services.Billing,
        ResourceNames.Services.Analytics, ResourceNames.Services.Notifications, ResourceNames.Services.Platform,
    ];

    /// <summary>Auth's paths that a caller uses before it has a tenant key or token.</summary>
    public static readonly IReadOnlyList<string> PublicAuthPaths =
    [
        "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/password/forgot", "/api/v1/auth/password/reset",
        "/api/v1/auth/email/verify", "/.well-known/jwks.json",
    ];

    /// <summary>CMS's published pages, <c>/api/v1/cms/public/{tenant}/pages/{path}</c>.</summary>
    public const string PublicPagesPath = "/api/v1/cms/public/{**rest}";

    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Build(GatewayOptions options, IConfiguration configuration)
    {
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        foreach (var service in Routed)
        {
            options.Services.TryGetValue(service, out var settings);
            var access = service == ResourceNames.Services.Platform ? Access.Superadmin : Access.ApiKey;
            routes.Add(Route(service, $"/api/v1/{service}/{{**rest}}", service, access, Lowered(settings, RequestBodyLimits.For(service)), order: 100));
            foreach (var (_, path, limit) in RequestBodyLimits.Uploads.Where(u => u.Service == service))
            {
                routes.Add(Route($"{service}:upload:{path}", path, service, access, Lowered(settings, limit), order: 50));
            }
            clusters.Add(new ClusterConfig
            {
                ClusterId = service,
                Destinations = Destination(service, configuration),
                HttpRequest = new ForwarderRequestConfig { ActivityTimeout = settings?.Timeout ?? options.DefaultTimeout },
            });
        }
        foreach (var path in PublicAuthPaths)
        {
            routes.Add(Route($"public:{path}", path, ResourceNames.Services.Auth, Access.Public, RequestBodyLimits.For(ResourceNames.Services.Auth), order: 10));
        }
        // A tenant's published pages are its public site: read by anyone, the tenant named in the path.
        routes.Add(Route("public:cms-pages", PublicPagesPath, ResourceNames.Services.Cms, Access.Public, RequestBodyLimits.For(ResourceNames.Services.Cms), order: 10));
        return (routes, clusters);
    }

    // A configured limit may lower the service's own, never raise it past what the service accepts.
    private static long Lowered(ServiceRouteOptions? settings, long limit) =>
        settings?.MaxRequestBodySize is { } configured ? Math.Min(configured, limit) : limit;

    private static RouteConfig Route(string id, string path, string cluster, Access access, long maxRequestBodySize, int order) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        Order = order,
        Match = new RouteMatch { Path = path },
        MaxRequestBodySize = maxRequestBodySize,
        Metadata = new Dictionary<string, string> { [AccessKey] = access.ToString() },
    };

    /// <summary>
    /// The service's logical address when the environment configures it (<c>services__&lt;name&gt;__…</c>),
    /// else none: a service that is not deployed answers 503 rather than failing the whole proxy's config.
    /// </summary>
    private static Dictionary<string, DestinationConfig> Destination(string service, IConfiguration configuration) =>
        configuration.GetSection($"services:{service}").Exists()
            ? new() { [service] = new DestinationConfig { Address = $"http://{service}" } }
            : [];
}

/// <summary>What a route asks of a caller.</summary>
public enum Access
{
    /// <summary>Nothing: sign-in, refresh, JWKS.</summary>
    Public,

    /// <summary>A tenant's API key; a bearer token, when sent, must be of the same tenant.</summary>
    ApiKey,

    /// <summary>A superadmin's bearer token (platform routes).</summary>
    Superadmin,
}
