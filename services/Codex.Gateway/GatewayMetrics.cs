using System.Diagnostics.Metrics;

namespace Codex.Gateway;

/// <summary>The <c>Codex.Gateway</c> meter: requests by tenant, route and status; key-cache hits and misses.</summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "Codex.Gateway";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _keyCache;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _rateLimiterUnavailable;

    public GatewayMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("codex.gateway.requests", "{request}", "Requests by tenant, route and status.");
        _keyCache = meter.CreateCounter<long>("codex.gateway.apikey_cache", "{lookup}", "API-key cache lookups by result (hit or miss).");
        _rateLimited = meter.CreateCounter<long>("codex.gateway.rate_limited", "{request}", "Requests refused with 429, by tenant and bucket (key or tenant).");
        _rateLimiterUnavailable = meter.CreateCounter<long>("codex.gateway.ratelimit_unavailable", "{request}", "Requests passed unlimited because Redis was unavailable.");
    }

    public void Request(string? tenant, string route, int status) => _requests.Add(1,
        new KeyValuePair<string, object?>("tenant", tenant ?? "-"),
        new KeyValuePair<string, object?>("route", route),
        new KeyValuePair<string, object?>("status", status));

    public void RateLimited(string tenant, string scope) => _rateLimited.Add(1,
        new KeyValuePair<string, object?>("tenant", tenant), new KeyValuePair<string, object?>("scope", scope));

    public void RateLimiterUnavailable() => _rateLimiterUnavailable.Add(1);

    public void KeyCache(bool hit) => _keyCache.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));
}
