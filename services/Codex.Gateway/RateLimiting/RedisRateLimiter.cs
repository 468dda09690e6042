using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codex.Gateway.RateLimiting;

/// <summary>The outcome for one request: allowed or not, and what to tell the client.</summary>
public readonly record struct RateDecision(bool Allowed, double Limit, double Remaining, double RetryAfterSeconds, double ResetSeconds, string Scope);

/// <summary>
/// Two token buckets per request, the key's and the tenant's, taken in one atomic Lua script with
/// Redis's own clock (so every gateway replica agrees). A request passes only if both have a token.
/// Under high limits a replica leases several tokens per script call and spends them locally
/// (<see cref="RateLimitOptions.LeaseFraction"/>): the buckets stay global, a replica can at most
/// hold one lease per key ahead of the others, and Redis sees a fraction of the traffic.
/// </summary>
public sealed class RedisRateLimiter(IConnectionMultiplexer redis, IOptions<RateLimitOptions> options, TimeProvider clock)
{
    // KEYS: key bucket, tenant bucket. ARGV: key rate, key burst, tenant rate, tenant burst, tokens wanted.
    // Takes as many tokens as wanted and both buckets hold (none unless both hold one). Answers
    // {taken, scope (1 key, 2 tenant), remaining of the scarcer bucket, ms until a token}.
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local function level(key, rate, burst)
          local b = redis.call('HMGET', key, 'tokens', 'at')
          local tokens, at = tonumber(b[1]), tonumber(b[2])
          if tokens == nil then return burst end
          return math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
        end
        local kr, kb, tr, tb, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
        local k, tn = level(KEYS[1], kr, kb), level(KEYS[2], tr, tb)
        local taken = math.max(0, math.min(want, math.floor(k), math.floor(tn)))
        k, tn = k - taken, tn - taken
        redis.call('HSET', KEYS[1], 'tokens', tostring(k), 'at', tostring(now))
        redis.call('PEXPIRE', KEYS[1], math.ceil(kb / kr * 1000) + 1000)
        redis.call('HSET', KEYS[2], 'tokens', tostring(tn), 'at', tostring(now))
        redis.call('PEXPIRE', KEYS[2], math.ceil(tb / tr * 1000) + 1000)
        local keyShare, tenantShare = k / kb, tn / tb
        if keyShare <= tenantShare then
          return {taken, 1, tostring(k), tostring(math.max(0, (1 - k) / kr * 1000))}
        end
        return {taken, 2, tostring(tn), tostring(math.max(0, (1 - tn) / tr * 1000))}
        """;

    // EVALSHA with the script's SHA-1: the script text crosses the wire only when Redis lacks it.
    private static readonly byte[] ScriptSha = System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(Script));

    private readonly ConcurrentDictionary<Guid, Lease> _leases = new();

    public bool Enabled => options.Value.Enabled;

    public async Task<RateDecision> TakeAsync(Guid keyId, string tenantId, string? plan)
    {
        var limits = options.Value.For(plan);
        var size = limits.LeaseSize(options.Value.LeaseFraction);
        if (size == 1)
        {
            return (await TakeFromRedisAsync(keyId, tenantId, limits, 1)).Decision;
        }
        var lease = _leases.GetOrAdd(keyId, _ => new Lease());
        if (lease.TrySpend(clock.GetTimestamp(), out var spent))
        {
            return spent;
        }
        await lease.Refill.WaitAsync();
        try
        {
            if (lease.TrySpend(clock.GetTimestamp(), out spent))
            {
                return spent;   // another request refilled it while this one waited
            }
            var (taken, decision) = await TakeFromRedisAsync(keyId, tenantId, limits, size);
            lease.Renew(taken - (decision.Allowed ? 1 : 0), decision, clock.GetTimestamp() + (long)(options.Value.LeaseDuration.TotalSeconds * clock.TimestampFrequency));
            return decision;
        }
        finally
        {
            lease.Refill.Release();
        }
    }

    private async Task<(int Taken, RateDecision Decision)> TakeFromRedisAsync(Guid keyId, string tenantId, Limits limits, int wanted)
    {
        RedisKey[] keys = [$"codex:gateway:rate:key:{keyId}", $"codex:gateway:rate:tenant:{tenantId}"];
        RedisValue[] values = [limits.KeyPerSecond, limits.KeyBurst, limits.TenantPerSecond, limits.TenantBurst, wanted];
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
        var taken = (int)result[0];
        var byKey = (int)result[1] == 1;
        var remaining = Math.Max(0, Math.Floor(double.Parse((string)result[2]!, CultureInfo.InvariantCulture)));
        var waitMs = double.Parse((string)result[3]!, CultureInfo.InvariantCulture);
        var (rate, burst) = byKey ? (limits.KeyPerSecond, limits.KeyBurst) : (limits.TenantPerSecond, limits.TenantBurst);
        // What the client is told counts the tokens this replica holds for it as still remaining.
        var held = Math.Max(0, taken - 1);
        var decision = new RateDecision(taken > 0, burst, remaining + held, Math.Ceiling(waitMs / 1000),
            Math.Ceiling((burst - remaining - held) / rate), byKey ? "key" : "tenant");
        return (taken, decision);
    }

    /// <summary>Tokens one replica holds for one key: spent without Redis until they run out or expire.</summary>
    private sealed class Lease
    {
        private readonly Lock _gate = new();
        private int _tokens;
        private long _expiresAt;
        private RateDecision _last;

        public SemaphoreSlim Refill { get; } = new(1, 1);

        public bool TrySpend(long now, out RateDecision decision)
        {
            lock (_gate)
            {
                if (_tokens > 0 && now < _expiresAt)
                {
                    _tokens--;
                    decision = _last with { Remaining = Math.Max(0, _last.Remaining - 1) };
                    _last = decision;
                    return true;
                }
                decision = default;
                return false;
            }
        }

        public void Renew(int tokens, RateDecision decision, long expiresAt)
        {
            lock (_gate)
            {
                (_tokens, _last, _expiresAt) = (Math.Max(0, tokens), decision, expiresAt);
            }
        }
    }
}
