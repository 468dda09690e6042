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
    private readonly ConcurrentDictionary<string, (FrozenClaimsIdentity Identity, DateTimeOffset Until)> _tokens = new(StringComparer.Ordinal);

    /// <summary>How long a validated token is trusted without checking it again (zero: never).</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A principal of the caller's own over the remembered identity, or null. The identity is shared by every
    /// request that shows the token and refuses changes: a handler that adds claims adds an identity of its own.
    /// Looked up by the span, so a hit allocates no copy of the token's text.
    /// </summary>
    public ClaimsPrincipal? Find(ReadOnlySpan<char> token) =>
        Duration > TimeSpan.Zero && _tokens.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(token, out var entry) && clock.GetUtcNow() < entry.Until
            ? new ClaimsPrincipal(entry.Identity)
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
        _tokens[token] = (new FrozenClaimsIdentity(identity), expires < until ? expires : until);
    }
}

/// <summary>A copy of a validated identity whose claims can no longer change: safe to share between requests.</summary>
public sealed class FrozenClaimsIdentity : ClaimsIdentity
{
    private readonly bool _frozen;

    public FrozenClaimsIdentity(ClaimsIdentity identity) : base(identity) => _frozen = true;

    public override void AddClaim(Claim claim) => Refuse(() => base.AddClaim(claim));

    public override void AddClaims(IEnumerable<Claim?> claims) => Refuse(() => base.AddClaims(claims));

    public override void RemoveClaim(Claim? claim) => Refuse(() => base.RemoveClaim(claim));

    public override bool TryRemoveClaim(Claim? claim) => !_frozen && base.TryRemoveClaim(claim);

    public override ClaimsIdentity Clone() => new(this);

    private void Refuse(Action change)
    {
        if (_frozen)
        {
            throw new InvalidOperationException("A remembered token's identity is shared between requests and cannot change; add an identity of your own to the principal.");
        }
        change();
    }
}
