namespace Codex.Billing.Webhooks;

public sealed class WebhookOptions
{
    public const string Section = "Billing:Webhooks";

    public bool Enabled { get; set; } = true;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The wait after the first failure; each later one doubles it, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Attempts before a delivery goes to its endpoint's dead-letter list.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How long one attempt may take; the delivery is leased for twice that while it is sent.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public int BatchSize { get; set; } = 100;

    /// <summary>Plain-http receiver URLs (local development and tests); a deployment takes https only.</summary>
    public bool AllowInsecureUrls { get; set; }

    /// <summary>The wait before attempt <paramref name="failed"/> + 1.</summary>
    public TimeSpan Backoff(int failed) =>
        TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, RetryBase.Ticks * (1L << Math.Min(failed - 1, 30))));
}
