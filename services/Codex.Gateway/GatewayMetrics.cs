using System.Diagnostics.Metrics;

namespace Codex.Gateway;

/// <summary>
/// The <c>Codex.Gateway</c> meter: key-cache hits and misses, refusals by the rate limits. Requests by tenant, route
/// and status are ASP.NET Core's own <c>http.server.request.duration</c>, tagged with the tenant.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "Codex.Gateway";

    private readonly Counter<long> _keyCache;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _rateLimiterUnavailable;

    public GatewayMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _keyCache = meter.CreateCounter<long>("codex.gateway.apikey_cache", "{lookup}", "API-key cache lookups by result (hit or miss).");
        _rateLimited = meter.CreateCounter<long>("codex.gateway.rate_limited", "{request}", "Requests refused with 429, by tenant and bucket (key or tenant).");
        _rateLimiterUnavailable = meter.CreateCounter<long>("codex.gateway.ratelimit_unavailable", "{request}", "Requests passed unlimited because Redis was unavailable.");
    }

    public void RateLimited(string tenant, string scope) => _rateLimited.Add(1,
        new KeyValuePair<string, object?>("tenant", tenant), new KeyValuePair<string, object?>("scope", scope));

    public void RateLimiterUnavailable() => _rateLimiterUnavailable.Add(1);

    public void KeyCache(bool hit) => _keyCache.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));
}
