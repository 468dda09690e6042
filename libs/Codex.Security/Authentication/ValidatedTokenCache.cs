using System.Collections.Concurrent;
using System.Security.Claims;

namespace Codex.Security.Authentication;

/// <summary>
/// Access tokens that passed JwtBearer's checks, remembered for up to a minute (never past their expiry),
/// keyed by their exact text. A client sends the same token on every call for 15 minutes, and a full check
/// costs a signature verify plus JwtBearer's per-request setup; eng/bench.sh auth shows the difference. A
/// tampered token is different text, so it is checked in full; a key withdrawn from the JWKS stops being
/// honoured for remembered tokens within the minute.
/// </summary>
public sealed class ValidatedTokenCache(TimeProvider clock)
{
    private const int MaxTokens = 10_000;
    private readonly ConcurrentDictionary<string, (ClaimsIdentity Identity, DateTimeOffset Until)> _tokens = new(StringComparer.Ordinal);

    /// <summary>How long a validated token is trusted without checking it again (zero: never).</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A principal of its own for the caller (handlers may add claims to theirs), or null.</summary>
    public ClaimsPrincipal? Find(string token) =>
        Duration > TimeSpan.Zero && _tokens.TryGetValue(token, out var entry) && clock.GetUtcNow() < entry.Until
            ? new ClaimsPrincipal(entry.Identity.Clone())
            : null;

    public void Remember(string token, ClaimsIdentity identity, DateTimeOffset expires)
    {
        if (Duration <= TimeSpan.Zero)
        {
            return;
        }
        if (_tokens.Count >= MaxTokens)
        {
            _tokens.Clear();   // crude but bounded; a refill costs one full check per live token
        }
        var until = clock.GetUtcNow() + Duration;
        _tokens[token] = (identity.Clone(), expires < until ? expires : until);
    }
}
