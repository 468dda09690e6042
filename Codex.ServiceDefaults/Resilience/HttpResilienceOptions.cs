namespace Codex.ServiceDefaults.Resilience;

/// <summary>
/// Outgoing-HTTP resilience, bound from <c>Resilience:Http</c>. Defaults are those of
/// Microsoft.Extensions.Http.Resilience's standard handler.
/// </summary>
public sealed class HttpResilienceOptions
{
    public const string SectionName = "Resilience:Http";

    public int MaxConcurrentRequests { get; set; } = 1000;
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public int MaxRetryAttempts { get; set; } = 3;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);
    public double CircuitBreakerFailureRatio { get; set; } = 0.1;
    public int CircuitBreakerMinimumThroughput { get; set; } = 100;
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
