namespace Codex.Gateway;

/// <summary>The gateway's settings (section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>
    /// Per service (by name): timeout, and a body limit that replaces <see cref="RequestBodyLimits"/>'s for all of
    /// the service's routes (to lower it; a higher one than the service's own turns 413s into 502s).
    /// </summary>
    public Dictionary<string, ServiceRouteOptions> Services { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an introspected key is trusted, and how long an unknown key stays refused.</summary>
    public TimeSpan ApiKeyCacheDuration { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan ApiKeyNegativeCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The in-process first level in front of Redis; bounds how late a revocation can be seen.</summary>
    public TimeSpan ApiKeyLocalCacheDuration { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Origins allowed to call the API from a browser; none by default.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>
    /// How long a pooled connection to a service lives. Behind one address (a DCP proxy, a cloud load balancer)
    /// connections are what get spread over replicas; pooled forever, a replica added later would never be reached.
    /// </summary>
    public TimeSpan UpstreamConnectionLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Proxies (IP addresses or CIDR networks) whose <c>X-Forwarded-For</c> names the client: the admin console,
    /// which signs its users in from its server. None by default: then the client is the connection's address,
    /// and whatever <c>X-Forwarded-For</c> a client sends is replaced.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Seconds a client is told to wait after a 503.</summary>
    public int RetryAfterSeconds { get; set; } = 5;
}

public sealed class ServiceRouteOptions
{
    public long? MaxRequestBodySize { get; set; }
    public TimeSpan? Timeout { get; set; }
}
