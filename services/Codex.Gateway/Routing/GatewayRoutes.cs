using Codex.ServiceDefaults.ServiceDiscovery;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Codex.Gateway.Routing;

/// <summary>
/// The routes, generated from the one list of services: <c>/api/v1/&lt;service&gt;/{**rest}</c> to each,
/// found through service discovery. Only the few paths that need no API key are named here.
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

    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Build(GatewayOptions options, ServiceEndpointResolver resolver)
    {
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        foreach (var service in Routed)
        {
            options.Services.TryGetValue(service, out var settings);
            var access = service == ResourceNames.Services.Platform ? Access.Superadmin : Access.ApiKey;
            routes.Add(Route(service, $"/api/v1/{service}/{{**rest}}", service, access, settings, options, order: 100));
            clusters.Add(new ClusterConfig
            {
                ClusterId = service,
                Destinations = Destination(service, resolver),
                HttpRequest = new ForwarderRequestConfig { ActivityTimeout = settings?.Timeout ?? options.DefaultTimeout },
            });
        }
        foreach (var path in PublicAuthPaths)
        {
            routes.Add(Route($"public:{path}", path, ResourceNames.Services.Auth, Access.Public, null, options, order: 10));
        }
        return (routes, clusters);
    }

    private static RouteConfig Route(string id, string path, string cluster, Access access, ServiceRouteOptions? settings, GatewayOptions options, int order) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        Order = order,
        Match = new RouteMatch { Path = path },
        MaxRequestBodySize = settings?.MaxRequestBodySize ?? options.DefaultMaxRequestBodySize,
        Metadata = new Dictionary<string, string> { [AccessKey] = access.ToString() },
    };

    /// <summary>The service's address, or none (the route then answers 503) when it is not configured.</summary>
    private static Dictionary<string, DestinationConfig> Destination(string service, ServiceEndpointResolver resolver)
    {
        try
        {
            var address = resolver.Resolve(new Uri($"http://{service}/"));
            return new() { [$"{service}-0"] = new DestinationConfig { Address = address.ToString() } };
        }
        catch (InvalidOperationException)
        {
            return [];
        }
    }
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
