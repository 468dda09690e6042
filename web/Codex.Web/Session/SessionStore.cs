using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Memory;
using StackExchange.Redis;

namespace Codex.Web.Session;

/// <summary>A signed-in user's tokens: what the console sends to the gateway on their behalf.</summary>
public sealed record StoredTokens(string AccessToken, string RefreshToken, DateTimeOffset AccessExpiresAt);

/// <summary>
/// Tokens live here, in Redis, encrypted with data protection and keyed by a random session id; the
/// browser holds only a cookie naming that id. Signing out, an ended refresh, or the TTL removes them,
/// and the cookie stops working with them (<see cref="ValidatePrincipalAsync"/>).
/// </summary>
public sealed class SessionStore(IConnectionMultiplexer redis, IDataProtectionProvider protection, IMemoryCache seen)
{
    /// <summary>
    /// How long a replica trusts a session it has just seen in Redis. The cookie is checked on every
    /// request (pages, scripts, the circuit's negotiation); one Redis call per session per few seconds
    /// is enough, since an API call without tokens ends the session at once anyway.
    /// </summary>
    private static readonly TimeSpan SeenFor = TimeSpan.FromSeconds(10);

    /// <summary>As long as the cookie's sliding lifetime; each refresh renews it.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly IDataProtector _protector = protection.CreateProtector("Codex.Web.Session.v1");

    public async Task<string> CreateAsync(StoredTokens tokens)
    {
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await SaveAsync(id, tokens);
        return id;
    }

    public async Task<StoredTokens?> GetAsync(string id)
    {
        var value = await ReachAsync(() => redis.GetDatabase().StringGetAsync(Key(id)));
        if (!value.HasValue)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<StoredTokens>(_protector.Unprotect((string)value!));
        }
        catch (CryptographicException)
        {
            return null;   // written under keys this replica cannot read (lost keys): the same as signed out
        }
    }

    public Task SaveAsync(string id, StoredTokens tokens) =>
        ReachAsync(() => redis.GetDatabase().StringSetAsync(Key(id), _protector.Protect(JsonSerializer.Serialize(tokens)), Lifetime));

    public Task<bool> ExistsAsync(string id) => ReachAsync(() => redis.GetDatabase().KeyExistsAsync(Key(id)));

    public Task RemoveAsync(string id)
    {
        seen.Remove(Key(id).ToString());
        return ReachAsync(() => redis.GetDatabase().KeyDeleteAsync(Key(id)));
    }

    /// <summary>The HttpContext item that marks a request whose session could not be read (Redis away).</summary>
    public const string UnavailableItem = "codex.session-unavailable";

    // Redis away (restarting, unreachable) is its own answer: the session is not known to be gone.
    private static async Task<T> ReachAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new SessionStoreUnavailableException(ex);
        }
    }

    /// <summary>Whether the session still has tokens, asking Redis at most once per <see cref="SeenFor"/> on this replica.</summary>
    private async Task<bool> RecentlyExistsAsync(string id)
    {
        var key = Key(id).ToString();
        if (seen.TryGetValue(key, out _))
        {
            return true;
        }
        if (!await ExistsAsync(id))
        {
            return false;
        }
        seen.Set(key, true, SeenFor);
        return true;
    }

    /// <summary>One refresh at a time per session, across replicas: Auth rotates refresh tokens and treats reuse as theft.</summary>
    public Task<bool> TryLockAsync(string id, string owner) =>
        ReachAsync(() => redis.GetDatabase().LockTakeAsync(LockKey(id), owner, TimeSpan.FromSeconds(15)));

    public Task ReleaseAsync(string id, string owner) => ReachAsync(() => redis.GetDatabase().LockReleaseAsync(LockKey(id), owner));

    /// <summary>The cookie is only as good as the session it names.</summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal is { } principal ? ConsoleClaims.SessionOf(principal) : null;
        var store = context.HttpContext.RequestServices.GetRequiredService<SessionStore>();
        bool exists;
        try
        {
            exists = id is not null && await store.RecentlyExistsAsync(id);
        }
        catch (SessionStoreUnavailableException)
        {
            // Not signed in for this request, but the cookie stays: once Redis is back, so is the session.
            context.RejectPrincipal();
            context.HttpContext.Items[UnavailableItem] = true;
            return;
        }
        if (!exists)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    /// <summary>The sign-in redirect says why when the session could not be read.</summary>
    public static Task RedirectToLoginAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        var target = context.HttpContext.Items.ContainsKey(UnavailableItem)
            ? Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(context.RedirectUri, "unavailable", "true")
            : context.RedirectUri;
        context.Response.Redirect(target);
        return Task.CompletedTask;
    }

    private static RedisKey Key(string id) => "codex:web:session:" + id;

    private static RedisKey LockKey(string id) => "codex:web:session-lock:" + id;
}

/// <summary>The session store (Redis) cannot be reached: the session's state is unknown, not ended.</summary>
public sealed class SessionStoreUnavailableException(Exception inner)
    : Exception("The console cannot reach its session store right now.", inner);
