using System.Globalization;
using Codex.Gateway.Access;
using StackExchange.Redis;

namespace Codex.Gateway.RateLimiting;

/// <summary>
/// Applies the key's and the tenant's buckets and answers with <c>RateLimit-*</c> headers, or 429 with
/// <c>Retry-After</c>. When Redis is down the gateway fails open: requests pass unlimited, counted on
/// <c>codex.gateway.ratelimit_unavailable</c> and logged. Limits protect capacity, not identity: keys
/// and tokens are still checked, and an outage of the cache should not become an outage of the API.
/// </summary>
public static partial class RateLimits
{
    /// <summary>True when the request may go on; otherwise the 429 has been written.</summary>
    public static async Task<bool> EnforceAsync(HttpContext context, KeyIntrospection key)
    {
        var limiter = context.RequestServices.GetRequiredService<RedisRateLimiter>();
        if (!limiter.Enabled)
        {
            return true;
        }
        var metrics = context.RequestServices.GetRequiredService<GatewayMetrics>();
        RateDecision decision;
        try
        {
            decision = await limiter.TakeAsync(key.KeyId!.Value, key.TenantId!, key.Plan);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            metrics.RateLimiterUnavailable();
            LogFailOpen(context.RequestServices.GetRequiredService<ILogger<RedisRateLimiter>>(), ex);
            return true;
        }

        var headers = context.Response.Headers;
        headers["RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Reset"] = decision.ResetSeconds.ToString(CultureInfo.InvariantCulture);
        if (decision.Allowed)
        {
            return true;
        }
        // Written here rather than thrown: the exception handler clears the headers set above.
        metrics.RateLimited(key.TenantId!, decision.Scope);
        var retryAfter = (int)Math.Max(1, decision.RetryAfterSeconds);
        headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await context.WriteProblemAsync(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests.",
            $"The {decision.Scope} rate limit is reached; retry after {retryAfter} s.");
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limiting is unavailable (Redis); the request passes unlimited")]
    private static partial void LogFailOpen(ILogger logger, Exception exception);
}
