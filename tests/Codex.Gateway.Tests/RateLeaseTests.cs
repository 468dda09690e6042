using Codex.Gateway.RateLimiting;
using Codex.Testing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codex.Gateway.Tests;

/// <summary>The limiter against the real Redis: leases under high limits, the buckets still global.</summary>
public sealed class RateLeaseTests : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _redis = ConnectionMultiplexer.Connect(TestInfrastructure.ConnectionString(ResourceNames.Cache));

    private RedisRateLimiter Limiter(double keyPerSecond, double keyBurst, double fraction) => new(_redis, Options.Create(new RateLimitOptions
    {
        Default = new Limits { KeyPerSecond = keyPerSecond, KeyBurst = keyBurst, TenantPerSecond = 100_000, TenantBurst = 100_000 },
        LeaseFraction = fraction,
    }), TimeProvider.System);

    [Fact]
    public async Task Under_a_high_limit_a_replica_takes_a_lease_from_redis_and_spends_it_locally()
    {
        var limiter = Limiter(keyPerSecond: 40, keyBurst: 400, fraction: 0.25);   // leases of 10
        var key = Guid.NewGuid();

        var decisions = new List<RateDecision>();
        for (var i = 0; i < 5; i++)
        {
            decisions.Add(await limiter.TakeAsync(key, $"t-{key:N}", null));
        }
        var inRedis = double.Parse((string)(await _redis.GetDatabase().HashGetAsync($"codex:gateway:rate:key:{key}", "tokens"))!, System.Globalization.CultureInfo.InvariantCulture);

        Assert.All(decisions, d => Assert.True(d.Allowed));
        Assert.Equal(390, inRedis);   // one script call took a lease of 10 from the full bucket; the other four were local
        Assert.Equal([399, 398, 397, 396, 395], decisions.Select(d => d.Remaining));
    }

    [Fact]
    public async Task Leased_tokens_never_let_more_through_than_the_bucket_holds()
    {
        var limiter = Limiter(keyPerSecond: 40, keyBurst: 40, fraction: 0.25);   // leases of 10, a bucket of 40
        var other = Limiter(keyPerSecond: 40, keyBurst: 40, fraction: 0.25);     // a second replica on the same buckets
        var key = Guid.NewGuid();

        var allowed = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 50; i++)
        {
            allowed += (await limiter.TakeAsync(key, $"t-{key:N}", null)).Allowed ? 1 : 0;
            allowed += (await other.TakeAsync(key, $"t-{key:N}", null)).Allowed ? 1 : 0;
        }

        // Never more than the burst plus what refilled while the loop ran (40/s); a dropped lease can only lower it.
        Assert.InRange(allowed, 30, 40 + (int)Math.Ceiling(clock.Elapsed.TotalSeconds * 40));
        Assert.True(allowed < 100, "the limit was not enforced at all");
    }

    public async ValueTask DisposeAsync() => await _redis.CloseAsync();
}
