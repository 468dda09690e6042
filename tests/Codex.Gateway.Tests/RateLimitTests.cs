using System.Net;
using Codex.Testing;
using Codex.Testing.Auth;

namespace Codex.Gateway.Tests;

public sealed class RateLimitTests(GatewayStack stack) : IClassFixture<GatewayStack>
{
    [Fact]
    public async Task A_key_past_its_burst_gets_a_429_problem_with_retry_after_and_ratelimit_headers()
    {
        var tenant = await stack.TenantWithKeyAsync(GatewayStack.TinyPlan);   // 3 per key, then 1 per 5 s

        var remaining = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", tenant.Key);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            remaining.Add(ok.Headers.GetValues("RateLimit-Remaining").Single());
        }
        using var limited = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", tenant.Key);

        Assert.Equal(["2", "1", "0"], remaining);
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 5);
        Assert.Equal("3", limited.Headers.GetValues("RateLimit-Limit").Single());
        Assert.Equal("0", limited.Headers.GetValues("RateLimit-Remaining").Single());
    }

    [Fact]
    public async Task The_tenants_bucket_limits_all_its_keys_together()
    {
        var tenant = await stack.TenantWithKeyAsync(GatewayStack.TinyPlan);   // 4 per tenant
        var (second, _) = await stack.NewKeyAsync(tenant.Admin);

        var statuses = new List<HttpStatusCode>();
        foreach (var key in new[] { tenant.Key, tenant.Key, tenant.Key, second, second })
        {
            using var response = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", key);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}

/// <summary>The gateway on a Redis of its own, so a test can stop it.</summary>
public sealed class PrivateRedisGatewayStack : GatewayStack
{
    public TestServers Redis { get; } = new();

    protected override async Task<string> CacheConnectionStringAsync()
    {
        await Redis.InitializeAsync();
        return Redis.ConnectionString(TestServers.Redis);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

public sealed class RedisOutageTests(PrivateRedisGatewayStack stack) : IClassFixture<PrivateRedisGatewayStack>
{
    [Fact]
    public async Task With_Redis_down_requests_fail_open_unlimited_and_keys_are_still_checked()
    {
        var tenant = await stack.TenantWithKeyAsync(GatewayStack.TinyPlan);
        using (var before = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", tenant.Key))
        {
            Assert.True(before.Headers.Contains("RateLimit-Remaining"));
        }

        await stack.Redis.StopAsync(TestServers.Redis);

        for (var i = 0; i < 5; i++)   // past the tiny plan's burst: no limit while Redis is away
        {
            using var response = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", tenant.Key);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("RateLimit-Remaining"));
        }
        using var unknown = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", "cdx_nope0000.notarealkeynotarealkeynotarealkeynotareal");
        await unknown.AssertProblemAsync(HttpStatusCode.Unauthorized, "api_key_invalid");
    }
}
