using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using LocalCache = System.Collections.Concurrent.ConcurrentDictionary<string, (Codex.Gateway.Access.KeyIntrospection Answer, long Until)>;

namespace Codex.Gateway.Access;

/// <summary>What Auth said about a key (its introspection answer).</summary>
public sealed record KeyIntrospection(
    bool Active, string? TenantId, Guid? KeyId, string? Prefix, string[]? Scopes, string? Reason, string? Plan = null, DateTimeOffset? ExpiresAt = null);

/// <summary>Auth's token for a key used without a user, or why there is none.</summary>
public sealed record KeyToken(bool Active, string? AccessToken, DateTimeOffset? ExpiresAt, string? Reason);

/// <summary>What Auth said about a tenant whose user came with a bearer and no key.</summary>
public sealed record TenantStanding(bool Active, string? Reason, string? Plan);

/// <summary>
/// <c>X-API-Key</c> to tenant: Auth's introspection, cached in Redis (an active key for a minute, an
/// unknown one for ten seconds) under the key's SHA-256, never the key. Revocation and tenant
/// suspension events evict at once (<see cref="KeyCacheEviction"/>). Redis being down costs a call to
/// Auth per request, not an outage.
/// </summary>
public sealed partial class ApiKeyResolver(
    IHttpClientFactory http, IConnectionMultiplexer redis, IOptions<GatewayOptions> options, GatewayMetrics metrics, ILogger<ApiKeyResolver> logger)
{
    public const string AuthClient = "auth";
    private const string Prefix = "codex:gateway:apikey:";
    private const int MaxLocalEntries = 10_000;

    // A first level in this process, for half a second: the hot path then costs no Redis round trip,
    // and a revocation still takes effect within a second on every replica (events evict it at once
    // on the replica that receives them).
    private readonly LocalCache _local = new(StringComparer.Ordinal);

    // Tenant standings apart from keys: a client's key text must never be able to name a standing entry.
    private readonly LocalCache _localStandings = new(StringComparer.Ordinal);

    // Key tokens, per key id, until 80% of their life: in this process only, as a bearer token never goes to Redis.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, (string Token, string TenantId, long Until)> _keyTokens = new();

    public async Task<KeyIntrospection> ResolveAsync(string key, CancellationToken cancellationToken) =>
        TryLocal(_local, key) ?? Remember(_local, key, await ResolveSharedAsync(key, cancellationToken));

    private async Task<KeyIntrospection> ResolveSharedAsync(string key, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var cached = await ReadAsync(hash);
        if (cached is not null)
        {
            metrics.KeyCache(hit: true);
            return cached;
        }
        metrics.KeyCache(hit: false);

        using var response = await http.CreateClient(AuthClient).PostAsJsonAsync("/internal/api-keys/introspect", new { key }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<KeyIntrospection>(cancellationToken)
            ?? throw new InvalidOperationException("Auth answered an empty introspection.");
        await WriteAsync(hash, answer);
        return answer;
    }

    /// <summary>
    /// A bearer that comes without a key (a console user): the token names the tenant, and Auth says
    /// whether that tenant stands. Cached like a key, under the tenant, and evicted with its keys. The
    /// answer's <see cref="KeyIntrospection.KeyId"/> is the user, so the per-key bucket is per user.
    /// </summary>
    public async Task<KeyIntrospection> ResolveTenantAsync(string tenantId, Guid userId, CancellationToken cancellationToken)
    {
        var standing = TryLocal(_localStandings, tenantId)
            ?? Remember(_localStandings, tenantId, await ResolveStandingAsync(tenantId, cancellationToken));
        return standing with { KeyId = userId };
    }

    /// <summary>
    /// The bearer the gateway forwards for a key that comes without one: Auth's token whose permissions are the
    /// key's scopes. <paramref name="key"/> is the key text that <paramref name="introspected"/> was resolved from.
    /// </summary>
    public async Task<KeyToken> KeyTokenAsync(string key, KeyIntrospection introspected, CancellationToken cancellationToken)
    {
        var id = introspected.KeyId!.Value;
        if (_keyTokens.TryGetValue(id, out var held) && Environment.TickCount64 < held.Until)
        {
            return new KeyToken(true, held.Token, null, null);
        }
        using var response = await http.CreateClient(AuthClient).PostAsJsonAsync("/internal/api-keys/token", new { key }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var issued = await response.Content.ReadFromJsonAsync<KeyToken>(cancellationToken)
            ?? throw new InvalidOperationException("Auth answered an empty key token.");
        if (issued is { Active: true, AccessToken: { } token, ExpiresAt: { } expires })
        {
            if (_keyTokens.Count >= MaxLocalEntries)
            {
                _keyTokens.Clear();
            }
            var life = expires - DateTimeOffset.UtcNow;
            _keyTokens[id] = (token, introspected.TenantId!, Environment.TickCount64 + (long)(life.TotalMilliseconds * 0.8));
        }
        return issued;
    }

    /// <summary>The first level's answer, while it is fresh.</summary>
    private KeyIntrospection? TryLocal(LocalCache cache, string localKey)
    {
        if (cache.TryGetValue(localKey, out var local) && Environment.TickCount64 < local.Until)
        {
            metrics.KeyCache(hit: true);
            return local.Answer;
        }
        return null;
    }

    private KeyIntrospection Remember(LocalCache cache, string localKey, KeyIntrospection answer)
    {
        if (cache.Count >= MaxLocalEntries)
        {
            cache.Clear();
        }
        cache[localKey] = (answer, Environment.TickCount64 + (long)options.Value.ApiKeyLocalCacheDuration.TotalMilliseconds);
        return answer;
    }

    private async Task<KeyIntrospection> ResolveStandingAsync(string tenantId, CancellationToken cancellationToken)
    {
        var cached = await ReadAsync(StandingKey(tenantId));
        if (cached is not null)
        {
            metrics.KeyCache(hit: true);
            return cached;
        }
        metrics.KeyCache(hit: false);
        using var response = await http.CreateClient(AuthClient).GetAsync($"/internal/tenants/{Uri.EscapeDataString(tenantId)}/standing", cancellationToken);
        response.EnsureSuccessStatusCode();
        var standing = await response.Content.ReadFromJsonAsync<TenantStanding>(cancellationToken)
            ?? throw new InvalidOperationException("Auth answered an empty tenant standing.");
        var answer = new KeyIntrospection(standing.Active, tenantId, null, null, null, standing.Reason, standing.Plan);
        await WriteAsync(StandingKey(tenantId), answer);
        return answer;
    }

    /// <summary>Forgets one key (revoked) everywhere it is cached.</summary>
    public async Task EvictKeyAsync(Guid keyId)
    {
        EvictLocal(entry => entry.KeyId == keyId);
        _keyTokens.TryRemove(keyId, out _);
        var db = redis.GetDatabase();
        var hash = await db.StringGetAsync(IdIndex(keyId));
        if (hash.HasValue)
        {
            await db.KeyDeleteAsync([(RedisKey)(Prefix + hash), IdIndex(keyId)]);
        }
    }

    /// <summary>Forgets every cached key of a tenant (suspended, reactivated, deleted).</summary>
    public async Task EvictTenantAsync(string tenantId)
    {
        EvictLocal(entry => entry.TenantId == tenantId);
        foreach (var (id, held) in _keyTokens.Where(entry => entry.Value.TenantId == tenantId))
        {
            _keyTokens.TryRemove(id, out _);
        }
        var db = redis.GetDatabase();
        var hashes = await db.SetMembersAsync(TenantIndex(tenantId));
        // The index lists the tenant's standing entry too: WriteAsync indexes every answer that names a tenant.
        await db.KeyDeleteAsync([.. hashes.Select(h => (RedisKey)(Prefix + h)), TenantIndex(tenantId)]);
    }

    private void EvictLocal(Func<KeyIntrospection, bool> match)
    {
        foreach (var cache in (LocalCache[])[_local, _localStandings])
        {
            foreach (var (key, entry) in cache)
            {
                if (match(entry.Answer))
                {
                    cache.TryRemove(key, out _);
                }
            }
        }
    }

    private async Task<KeyIntrospection?> ReadAsync(string hash)
    {
        try
        {
            var value = await redis.GetDatabase().StringGetAsync(Prefix + hash);
            return value.HasValue ? JsonSerializer.Deserialize<KeyIntrospection>((string)value!, JsonSerializerOptions.Web) : null;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogCacheDown(logger, ex);
            return null;
        }
    }

    private async Task WriteAsync(string hash, KeyIntrospection answer)
    {
        var ttl = answer.Active ? options.Value.ApiKeyCacheDuration : options.Value.ApiKeyNegativeCacheDuration;
        try
        {
            var db = redis.GetDatabase();
            var batch = db.CreateBatch();
            var writes = new List<Task> { batch.StringSetAsync(Prefix + hash, JsonSerializer.Serialize(answer, JsonSerializerOptions.Web), ttl) };
            if (answer.KeyId is { } id)
            {
                writes.Add(batch.StringSetAsync(IdIndex(id), hash, ttl));
            }
            if (answer.TenantId is { } tenant)
            {
                writes.Add(batch.SetAddAsync(TenantIndex(tenant), hash));
                writes.Add(batch.KeyExpireAsync(TenantIndex(tenant), options.Value.ApiKeyCacheDuration));
            }
            batch.Execute();
            await Task.WhenAll(writes);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogCacheDown(logger, ex);
        }
    }

    // Under the same Redis prefix as key hashes; a hash is hex, so "tenant:" cannot collide with one.
    private static string StandingKey(string tenantId) => "tenant:" + tenantId;

    private static RedisKey IdIndex(Guid keyId) => $"codex:gateway:apikey-id:{keyId}";

    private static RedisKey TenantIndex(string tenantId) => $"codex:gateway:tenant-keys:{tenantId}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "The API-key cache (Redis) is unavailable; asking Auth directly")]
    private static partial void LogCacheDown(ILogger logger, Exception exception);
}
