using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codex.Gateway.RateLimiting;

/// <summary>The outcome for one request: allowed or not, and what to tell the client.</summary>
public readonly record struct RateDecision(bool Allowed, double Limit, double Remaining, double RetryAfterSeconds, double ResetSeconds, string Scope);

/// <summary>
/// Two token buckets per request, the key's and the tenant's, taken in one atomic Lua script with
/// Redis's own clock (so every gateway replica agrees). A request passes only if both have a token.
/// </summary>
public sealed class RedisRateLimiter(IConnectionMultiplexer redis, IOptions<RateLimitOptions> options)
{
    // KEYS: key bucket, tenant bucket. ARGV: key rate, key burst, tenant rate, tenant burst.
    // Answers {allowed, scope (1 key, 2 tenant), remaining of the scarcer bucket, ms until a token}.
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local function level(key, rate, burst)
          local b = redis.call('HMGET', key, 'tokens', 'at')
          local tokens, at = tonumber(b[1]), tonumber(b[2])
          if tokens == nil then return burst end
          return math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
        end
        local kr, kb, tr, tb = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
        local k, tn = level(KEYS[1], kr, kb), level(KEYS[2], tr, tb)
        local allowed = (k >= 1 and tn >= 1) and 1 or 0
        if allowed == 1 then k, tn = k - 1, tn - 1 end
        redis.call('HSET', KEYS[1], 'tokens', tostring(k), 'at', tostring(now))
        redis.call('PEXPIRE', KEYS[1], math.ceil(kb / kr * 1000) + 1000)
        redis.call('HSET', KEYS[2], 'tokens', tostring(tn), 'at', tostring(now))
        redis.call('PEXPIRE', KEYS[2], math.ceil(tb / tr * 1000) + 1000)
        local keyShare, tenantShare = k / kb, tn / tb
        if keyShare <= tenantShare then
          return {allowed, 1, tostring(k), tostring(math.max(0, (1 - k) / kr * 1000))}
        end
        return {allowed, 2, tostring(tn), tostring(math.max(0, (1 - tn) / tr * 1000))}
        """;

    // EVALSHA with the script's SHA-1: the script text crosses the wire only when Redis lacks it.
    private static readonly byte[] ScriptSha = System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(Script));

    public bool Enabled => options.Value.Enabled;

    public async Task<RateDecision> TakeAsync(Guid keyId, string tenantId, string? plan)
    {
        var limits = options.Value.For(plan);
        RedisKey[] keys = [$"codex:gateway:rate:key:{keyId}", $"codex:gateway:rate:tenant:{tenantId}"];
        RedisValue[] values = [limits.KeyPerSecond, limits.KeyBurst, limits.TenantPerSecond, limits.TenantBurst];
        var db = redis.GetDatabase();
        RedisResult answer;
        try
        {
            answer = await db.ScriptEvaluateAsync(ScriptSha, keys, values);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            answer = await db.ScriptEvaluateAsync(Script, keys, values);   // EVAL loads it for next time
        }
        var result = (RedisResult[])answer!;
        var allowed = (int)result[0] == 1;
        var byKey = (int)result[1] == 1;
        var remaining = Math.Max(0, Math.Floor(double.Parse((string)result[2]!, System.Globalization.CultureInfo.InvariantCulture)));
        var waitMs = double.Parse((string)result[3]!, System.Globalization.CultureInfo.InvariantCulture);
        var (rate, burst) = byKey ? (limits.KeyPerSecond, limits.KeyBurst) : (limits.TenantPerSecond, limits.TenantBurst);
        return new RateDecision(allowed, burst, remaining, Math.Ceiling(waitMs / 1000), Math.Ceiling((burst - remaining) / rate), byKey ? "key" : "tenant");
    }
}
