namespace Codex.Gateway.RateLimiting;

/// <summary>Token-bucket limits (section <c>Gateway:RateLimits</c>); a plan may override the defaults.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Gateway:RateLimits";

    public bool Enabled { get; set; } = true;
    public Limits Default { get; set; } = new();

    /// <summary>
    /// A replica takes tokens from Redis in leases of this share of the smaller of rate and burst, and
    /// spends them locally: one script call per lease instead of per request. A lease of one token (every
    /// limit under 40/s by default) is the exact per-request path.
    /// </summary>
    public double LeaseFraction { get; set; } = 0.025;

    /// <summary>How long a replica may hold unspent leased tokens; what is left then is dropped, never returned.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Limits per plan name (Billing's entitlements will feed these later).</summary>
    public Dictionary<string, Limits> Plans { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public Limits For(string? plan) => plan is not null && Plans.TryGetValue(plan, out var limits) ? limits : Default;
}

public sealed class Limits
{
    public double KeyPerSecond { get; set; } = 100;
    public double KeyBurst { get; set; } = 200;
    public double TenantPerSecond { get; set; } = 1000;
    public double TenantBurst { get; set; } = 2000;

    /// <summary>Tokens per lease: at most <paramref name="fraction"/> of the scarcest rate or burst, at least one.</summary>
    public int LeaseSize(double fraction) =>
        (int)Math.Clamp(Math.Floor(Math.Min(Math.Min(KeyPerSecond, KeyBurst), Math.Min(TenantPerSecond, TenantBurst)) * fraction), 1, 100_000);
}
