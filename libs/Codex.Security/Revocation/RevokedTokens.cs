using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codex.Security.Revocation;

/// <summary>
/// Access tokens that stop before their expiry: those of an ended session (logout, revoke, password change or
/// reset, deactivation, refresh-token reuse), those of a revoked API key, and those of a suspended tenant. Auth
/// writes each fact to Redis (<c>codex:revoked:s:&lt;sid&gt;</c> and <c>codex:revoked:k:&lt;key id&gt;</c> for a token's
/// lifetime, <c>codex:revoked:t:&lt;tenant&gt;</c> while suspended) and
/// announces it on <see cref="Channel"/>; every service keeps the facts in memory from the announcements and
/// re-reads Redis every <see cref="CodexAuthOptions.RevocationResync"/> (and on start), so the check costs no
/// round trip and a missed announcement is late by one resync at most.
/// </summary>
public sealed partial class RevokedTokens(
    IConnectionMultiplexer redis, IOptions<CodexAuthOptions> options, TimeProvider clock, ILogger<RevokedTokens> logger) : BackgroundService
{
    public const string Channel = "codex:revoked";
    private const string Prefix = "codex:revoked:";
    private const string SessionKind = "s";
    private const string TenantKind = "t";
    private const string KeyKind = "k";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tenants = new(StringComparer.Ordinal);

    /// <summary>The <c>HttpContext.Items</c> key under which a refused token's <see cref="RevokedBecause"/> is left for the answer.</summary>
    public const string ReasonItem = "codex.token-revoked";

    /// <summary>Whether, and why, the token behind <paramref name="identity"/> has been revoked.</summary>
    public RevokedBecause Check(ClaimsIdentity identity)
    {
        if (_sessions.IsEmpty && _tenants.IsEmpty && _keys.IsEmpty)
        {
            return RevokedBecause.Nothing;
        }
        var now = clock.GetUtcNow();
        return Holds(_tenants, identity.FindFirst(CodexClaims.Tenant)?.Value, now) ? RevokedBecause.TenantSuspended
            : Holds(_sessions, identity.FindFirst(CodexClaims.Session)?.Value, now) ? RevokedBecause.SessionEnded
            : Holds(_keys, identity.FindFirst(CodexClaims.ApiKey)?.Value, now) ? RevokedBecause.KeyRevoked
            : RevokedBecause.Nothing;
    }

    /// <summary>Auth: the API key is revoked; the tokens the gateway holds for it stop everywhere within seconds.</summary>
    public Task RevokeKeyAsync(Guid keyId) => PublishAsync([(KeyKind, keyId.ToString(), TokenLifetime)], add: true);

    /// <summary>Auth: the sessions have ended; their access tokens stop everywhere within seconds.</summary>
    public Task RevokeSessionsAsync(IEnumerable<Guid> sessions) =>
        PublishAsync(sessions.Select(id => (SessionKind, id.ToString(), (TimeSpan?)TokenLifetime)).ToList(), add: true);

    /// <summary>Auth: the tenant is suspended (or deleted); its users' tokens stop until <see cref="ReinstateTenantAsync"/>.</summary>
    public Task SuspendTenantAsync(string tenantId, TimeSpan? lifetime = null) =>
        PublishAsync([(TenantKind, tenantId, lifetime)], add: true);

    /// <summary>Auth: a deleted tenant's tokens stop for good (none outlives <see cref="TokenLifetime"/>).</summary>
    public Task EndTenantAsync(string tenantId) => SuspendTenantAsync(tenantId, TokenLifetime);

    public Task ReinstateTenantAsync(string tenantId) => PublishAsync([(TenantKind, tenantId, null)], add: false);

    // A revoked session's tokens live at most this long (token lifetime plus clock skew).
    private TimeSpan TokenLifetime => options.Value.AccessTokenLifetime + options.Value.ClockSkew;

    private async Task PublishAsync(List<(string Kind, string Id, TimeSpan? Lifetime)> facts, bool add)
    {
        if (facts.Count == 0)
        {
            return;
        }
        var db = redis.GetDatabase();
        foreach (var (kind, id, lifetime) in facts)
        {
            Apply(kind, id, add, lifetime);   // this replica at once
            var key = $"{Prefix}{kind}:{id}";
            if (add)
            {
                await db.StringSetAsync(key, "1", lifetime is { } l ? new Expiration(l) : Expiration.Default);
            }
            else
            {
                await db.KeyDeleteAsync(key);
            }
            await db.PublishAsync(RedisChannel.Literal(Channel), Message(kind, id, add, lifetime));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscribed = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!subscribed)
                {
                    await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(Channel), (_, message) => Receive(message));
                    subscribed = true;
                }
                await ResyncAsync();
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogResyncFailed(logger, ex);
            }
            try
            {
                await Task.Delay(options.Value.RevocationResync, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads every revocation from Redis: what was announced while this replica was away counts too.</summary>
    private async Task ResyncAsync()
    {
        var now = clock.GetUtcNow();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var db = redis.GetDatabase();
        foreach (var server in redis.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(pattern: Prefix + "*", pageSize: 1000))
            {
                var name = ((string)key!)[Prefix.Length..];
                if (name.Length < 3 || name[1] != ':')
                {
                    continue;
                }
                var ttl = await db.KeyTimeToLiveAsync(key);
                Map(name[..1])?.AddOrUpdate(name[2..], Until(now, ttl), (_, _) => Until(now, ttl));
                seen.Add(name);
            }
        }
        // A tenant reinstated while its announcement was missed: gone from Redis, so gone here.
        foreach (var tenant in _tenants.Keys.Where(t => !seen.Contains($"{TenantKind}:{t}")))
        {
            _tenants.TryRemove(tenant, out _);
        }
        foreach (var map in (ConcurrentDictionary<string, DateTimeOffset>[])[_sessions, _keys])
        {
            foreach (var (id, until) in map.Where(s => s.Value <= now))
            {
                map.TryRemove(new KeyValuePair<string, DateTimeOffset>(id, until));
            }
        }
    }

    private void Receive(RedisValue message)
    {
        // "+s:<id>:<seconds>", "+t:<id>:<seconds or empty>", "-t:<id>:"
        var text = (string?)message;
        if (text is null || text.Length < 5 || text[2] != ':')
        {
            return;
        }
        var last = text.LastIndexOf(':');
        var seconds = int.TryParse(text[(last + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;
        Apply(text[1..2], text[3..last], text[0] == '+', seconds);
    }

    private void Apply(string kind, string id, bool add, TimeSpan? lifetime)
    {
        var map = Map(kind);
        if (map is null)
        {
            return;
        }
        if (add)
        {
            map[id] = Until(clock.GetUtcNow(), lifetime);
        }
        else
        {
            map.TryRemove(id, out _);
        }
    }

    private static string Message(string kind, string id, bool add, TimeSpan? lifetime) =>
        $"{(add ? '+' : '-')}{kind}:{id}:{(lifetime is { } l ? ((int)Math.Ceiling(l.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : "")}";

    private ConcurrentDictionary<string, DateTimeOffset>? Map(string kind) => kind switch
    {
        SessionKind => _sessions,
        TenantKind => _tenants,
        KeyKind => _keys,
        _ => null,
    };

    private static DateTimeOffset Until(DateTimeOffset now, TimeSpan? lifetime) => lifetime is { } l ? now + l : DateTimeOffset.MaxValue;

    private static bool Holds(ConcurrentDictionary<string, DateTimeOffset> map, string? id, DateTimeOffset now) =>
        id is not null && map.TryGetValue(id, out var until) && now < until;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revoked tokens could not be read from Redis; the list in memory stays as it is")]
    private static partial void LogResyncFailed(ILogger logger, Exception exception);
}

/// <summary>Why a token no longer counts: its session ended or its key was revoked (401), or its tenant is suspended (403 <c>tenant_suspended</c>).</summary>
public enum RevokedBecause
{
    Nothing,
    SessionEnded,
    TenantSuspended,
    KeyRevoked,
}
