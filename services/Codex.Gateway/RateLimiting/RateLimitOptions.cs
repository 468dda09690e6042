namespace Codex.Gateway.RateLimiting;

/// <summary>Token-bucket limits (section <c>Gateway:RateLimits</c>); a plan may override the defaults.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Gateway:RateLimits";

    public bool Enabled { get; set; } = true;
    public Limits Default { get; set; } = new();

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
}
