using System.Globalization;
using Codex.Auth.Tokens;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codex.Auth.Services;

/// <summary>
/// One counter a throttle keeps: what it counts (an account, an address, both), its rule, whether a success
/// clears it (an account's yes, an address's no), and after how many failures it locks (0: never).
/// </summary>
public readonly record struct ThrottleSubject(string Key, ThrottleRule Rule, bool ClearedBySuccess = true, int LockAfter = 0);

/// <summary>
/// Progressive delays for guessable things (passwords, second-factor codes, refresh and reset tokens) and for
/// forgot-password mail. A rule lets <see cref="ThrottleRule.Free"/> failures through, then each next attempt
/// waits twice as long as the last, up to a cap: an attacker is slowed to a crawl while the owner, from another
/// address, waits seconds at most. Counters live in Redis so every replica sees the same; attempts in flight
/// count too (checked and reserved in one script), so parallel guesses cannot slip past a wait, while
/// successes never add up. Hand-written: ASP.NET Core's rate limiters count requests per process in fixed
/// shapes and have no "wait doubles per failure, success clears" policy. Redis being down lets attempts
/// through (logged): sign-in stays up, unthrottled, rather than down.
/// </summary>
public sealed partial class AttemptThrottle(
    IOptions<AuthServiceOptions> options, IHttpContextAccessor http, TimeProvider clock, ILogger<AttemptThrottle> logger, IConnectionMultiplexer? redis = null)
{
    private const int ArgumentsPerKey = 7;

    // Per key: free, first delay, max delay, window, cleared by success (0/1), lock after, lock duration (ms).
    // A hash per counter: f failures, p attempts in flight, next (unix ms) the earliest next attempt.

    // ARGV[1] now. Answers the longest wait owed (ms), or 0 after reserving the attempt on every key.
    private const string BeginScript = """
        local now = tonumber(ARGV[1])
        local wait = 0
        for i, key in ipairs(KEYS) do
          local nx = tonumber(redis.call('HGET', key, 'next') or '0')
          if nx - now > wait then wait = nx - now end
        end
        if wait > 0 then return math.ceil(wait) end
        for i, key in ipairs(KEYS) do
          local a = 2 + (i - 1) * 7
          local free, first, max, window = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
          local p = redis.call('HINCRBY', key, 'p', 1)
          local n = tonumber(redis.call('HGET', key, 'f') or '0') + p
          if n > free then redis.call('HSET', key, 'next', math.floor(now + math.min(first * 2 ^ (n - free - 1), max))) end
          if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, window) end
        end
        return 0
        """;

    // ARGV[1] now, ARGV[2] outcome: f(ailure), s(uccess) or n(either). Answers 1 when a key locked.
    private const string EndScript = """
        local now, outcome, locked = tonumber(ARGV[1]), ARGV[2], 0
        for i, key in ipairs(KEYS) do
          local a = 3 + (i - 1) * 7
          local free, first, max, window = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
          local p = redis.call('HINCRBY', key, 'p', -1)
          if p < 0 then p = 0; redis.call('HSET', key, 'p', 0) end
          if outcome == 's' and ARGV[a + 4] == '1' then
            redis.call('DEL', key)
          else
            if outcome == 'f' then
              local f = redis.call('HINCRBY', key, 'f', 1)
              local nx = tonumber(redis.call('HGET', key, 'next') or '0')
              if f + p >= free then nx = math.max(nx, math.floor(now + math.min(first * 2 ^ (f + p - free), max))) end
              local lockAfter = tonumber(ARGV[a + 5])
              if lockAfter > 0 and f >= lockAfter then nx = math.max(nx, now + tonumber(ARGV[a + 6])); locked = 1 end
              redis.call('HSET', key, 'next', nx)
              if redis.call('PTTL', key) < nx - now then redis.call('PEXPIRE', key, nx - now) end
            end
            if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, window) end
          end
        end
        return locked
        """;

    private ThrottleSettings Rules => options.Value.Throttle;

    /// <summary>The caller's address (the client's, as the gateway forwards it).</summary>
    public string Source => http.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>An account from this address; with <paramref name="locks"/>, locked out after <see cref="LockoutSettings.MaxFailedAttempts"/> failures.</summary>
    public ThrottleSubject AccountFromSource(string account, bool locks = false) =>
        new($"as:{account}|{Source}", Rules.AccountFromSource, LockAfter: locks ? options.Value.Lockout.MaxFailedAttempts : 0);

    /// <summary>An account from anywhere.</summary>
    public ThrottleSubject Account(string account) => new($"a:{account}", Rules.Account);

    /// <summary>This address, whatever it tries; a success does not clear it.</summary>
    public ThrottleSubject FromSource() => new($"s:{Source}", Rules.Source, ClearedBySuccess: false);

    /// <summary>Forgot-password mail for an account (every request counts).</summary>
    public ThrottleSubject ResetRequests(string account) => new($"r:{account}", Rules.ResetRequests, ClearedBySuccess: false);

    /// <summary>
    /// Starts an attempt, or refuses it (429 <c>too_many_attempts</c> with <c>Retry-After</c>) while any subject
    /// owes a wait. End it with <see cref="ThrottledAttempt.FailedAsync"/> or <see cref="ThrottledAttempt.SucceededAsync"/>;
    /// disposing it unended lets it go uncounted.
    /// </summary>
    public async Task<ThrottledAttempt> BeginAsync(params ThrottleSubject[] subjects)
    {
        var wait = await RunAsync(BeginScript, subjects, [Now]);
        if (wait > 0)
        {
            var seconds = (int)Math.Ceiling(wait / 1000.0);
            throw new TooManyRequestsException($"Too many attempts; try again in {seconds} s.", seconds, "too_many_attempts");
        }
        return new ThrottledAttempt(this, subjects);
    }

    internal async Task<bool> EndAsync(ThrottleSubject[] subjects, char outcome) =>
        await RunAsync(EndScript, subjects, [Now, outcome.ToString()]) == 1;

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<long> RunAsync(string script, ThrottleSubject[] subjects, RedisValue[] head)
    {
        var arguments = new List<RedisValue>(head);
        foreach (var (_, rule, cleared, lockAfter) in subjects)
        {
            arguments.AddRange([rule.Free, Ms(rule.FirstDelay), Ms(rule.MaxDelay), Ms(rule.Window), cleared ? "1" : "0", lockAfter, Ms(options.Value.Lockout.Duration)]);
        }
        if (redis is null)
        {
            return 0;   // no cache configured (the migrate step): nothing signs in there
        }
        try
        {
            var result = await redis.GetDatabase().ScriptEvaluateAsync(script, [.. subjects.Select(s => (RedisKey)(Rules.KeyPrefix + s.Key))], [.. arguments]);
            return (long)result;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogUnavailable(logger, ex);
            return 0;
        }
    }

    private static long Ms(TimeSpan span) => (long)span.TotalMilliseconds;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The attempt throttle (Redis) is unavailable; letting the attempt through unthrottled")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}

/// <summary>An attempt under way: its outcome decides what its subjects remember.</summary>
public sealed class ThrottledAttempt(AttemptThrottle throttle, ThrottleSubject[] subjects) : IAsyncDisposable
{
    private bool _ended;

    /// <summary>Counts the failure; answers whether a subject is now locked.</summary>
    public Task<bool> FailedAsync() => EndAsync('f');

    /// <summary>Clears the subjects a success clears.</summary>
    public Task SucceededAsync() => EndAsync('s');

    public async ValueTask DisposeAsync()
    {
        if (!_ended)
        {
            await EndAsync('n');
        }
    }

    private Task<bool> EndAsync(char outcome)
    {
        if (_ended)
        {
            return Task.FromResult(false);
        }
        _ended = true;
        return throttle.EndAsync(subjects, outcome);
    }
}
