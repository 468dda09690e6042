using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Codex.ServiceDefaults.Resilience;

/// <summary>
/// One pipeline per named HttpClient, kept for the app's lifetime so circuit-breaker state survives
/// IHttpClientFactory's handler rotation. Outer to inner: concurrency limit, total timeout, retry,
/// circuit breaker, attempt timeout — the standard handler's order.
/// </summary>
internal sealed class HttpResiliencePipelines(IOptions<HttpResilienceOptions> options)
{
    public static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("Codex.Http.Request");

    private readonly ConcurrentDictionary<string, ClientPipeline> _pipelines = new();

    public ClientPipeline For(string clientName) => _pipelines.GetOrAdd(clientName, _ => Create(options.Value));

    private static ClientPipeline Create(HttpResilienceOptions o)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(o.TotalRequestTimeout)
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = o.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.RetryBaseDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    IsIdempotent(args.Context) && IsTransient(args.Outcome, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = o.CircuitBreakerFailureRatio,
                MinimumThroughput = o.CircuitBreakerMinimumThroughput,
                SamplingDuration = o.CircuitBreakerSamplingDuration,
                BreakDuration = o.CircuitBreakerBreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
            })
            .AddTimeout(o.AttemptTimeout)
            .Build();
        var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = o.MaxConcurrentRequests,
            QueueLimit = 0,
        });
        return new ClientPipeline(pipeline, limiter);
    }

    // A retried POST could create a second order; only methods that are safe to repeat are retried.
    private static bool IsIdempotent(ResilienceContext context) =>
        context.Properties.TryGetValue(RequestKey, out var request)
        && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options
            || request.Method == HttpMethod.Put || request.Method == HttpMethod.Delete || request.Method == HttpMethod.Trace);

    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken callerToken) => outcome switch
    {
        { Exception: HttpRequestException } => true,
        { Exception: TimeoutRejectedException } => true,
        // A connect timeout surfaces as a cancellation the caller did not ask for.
        { Exception: OperationCanceledException } => !callerToken.IsCancellationRequested,
        { Result: { } response } => (int)response.StatusCode >= 500
            || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        _ => false,
    };

    private static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var retryAfter = response?.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }
        if (retryAfter?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}

/// <summary>A client's resilience pipeline and its concurrency limiter.</summary>
internal sealed record ClientPipeline(ResiliencePipeline<HttpResponseMessage> Pipeline, RateLimiter Limiter);
