using System.Net;
using System.Net.Http.Json;
using Codex.Auth.Contracts;
using Codex.Contracts;
using Codex.Testing;
using Codex.Testing.Auth;

namespace Codex.Gateway.Tests;

public sealed class AccessTests(GatewayStack stack) : IClassFixture<GatewayStack>
{
    [Fact]
    public async Task A_request_with_a_valid_key_reaches_the_service_with_the_keys_tenant_and_a_request_id()
    {
        var tenant = await stack.TenantWithKeyAsync();

        using var response = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", tenant.Key);

        var echo = await response.ReadAsync<Echo>();
        Assert.Equal(tenant.Tenant, echo.TenantHeader);
        Assert.Equal(tenant.Tenant, echo.Tenant);
        Assert.False(string.IsNullOrEmpty(echo.RequestId));
        Assert.Equal(echo.RequestId, response.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task Signing_in_with_only_the_tenants_key_finds_the_user_in_that_tenant_and_a_bad_key_is_refused()
    {
        var tenant = await stack.TenantWithKeyAsync();
        var body = new LoginRequest(tenant.Admin.Email, AuthService.TenantPassword);

        using var withKey = await stack.SendAsync(HttpMethod.Post, "/api/v1/auth/login", tenant.Key, content: JsonContent.Create(body));
        using var withoutKey = await stack.SendAsync(HttpMethod.Post, "/api/v1/auth/login", content: JsonContent.Create(body));
        using var badKey = await stack.SendAsync(HttpMethod.Post, "/api/v1/auth/login", "cdx_nope.nope", content: JsonContent.Create(body));

        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);   // no tenant named: looked up among superadmins
        await badKey.AssertProblemAsync(HttpStatusCode.Unauthorized, "api_key_invalid");
    }

    [Fact]
    public async Task Guessing_a_password_through_the_gateway_is_slowed_and_a_forged_forwarded_address_does_not_escape_it()
    {
        var tenant = await stack.TenantWithKeyAsync();
        var body = new LoginRequest(tenant.Admin.Email, "wrong-password-guess");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            // A new made-up address each time: the gateway replaces it with the one it sees.
            var forged = new Dictionary<string, string> { ["X-Forwarded-For"] = $"198.51.100.{i + 1}" };
            using var response = await stack.SendAsync(HttpMethod.Post, "/api/v1/auth/login", tenant.Key, headers: forged, content: JsonContent.Create(body));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Forged_internal_headers_never_reach_the_service()
    {
        var tenant = await stack.TenantWithKeyAsync();
        var forged = new Dictionary<string, string> { ["X-Tenant-Id"] = "someone-else", ["X-Codex-Internal"] = "forged", ["X-Request-Id"] = "forged-id" };

        using var response = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", tenant.Key, headers: forged);

        var echo = await response.ReadAsync<Echo>();
        Assert.Equal(tenant.Tenant, echo.TenantHeader);
        Assert.Equal("", echo.Internal);
        Assert.NotEqual("forged-id", echo.RequestId);
    }

    [Theory]
    [InlineData(null, "api_key_required")]
    [InlineData("cdx_unknown0.thisisnotakeythisisnotakeythisisnotakey", "api_key_invalid")]
    public async Task A_missing_or_unknown_key_is_a_401_problem(string? key, string code)
    {
        using var response = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", key);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, code);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_within_a_second()
    {
        var tenant = await stack.TenantWithKeyAsync();
        using (var before = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", tenant.Key))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);   // now cached as active for a minute
        }

        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Admin.Client.DeleteAsync($"/api/v1/auth/api-keys/{tenant.KeyId}")).StatusCode);

        var refused = await TestInfrastructure.EventuallyAsync(async () =>
        {
            using var after = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", tenant.Key);
            return after.StatusCode == HttpStatusCode.Unauthorized;
        }, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(50));
        Assert.True(refused, "the revoked key was still accepted a second after revocation");
    }

    [Fact]
    public async Task An_expiring_key_is_refused_as_soon_as_it_expires_though_its_answer_is_cached()
    {
        var tenant = await stack.TenantWithKeyAsync();
        var expires = DateTimeOffset.UtcNow.AddSeconds(3);
        using var created = await tenant.Admin.Client.PostAsJsonAsync("/api/v1/auth/api-keys", new CreateApiKeyRequest("short-lived", ["crm.*"], expires));
        var key = (await created.ReadAsync<CreatedApiKey>()).Key;
        using (var before = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", key))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);   // now cached as active for a minute
        }

        await Task.Delay(expires - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);
        using var after = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", key);

        await after.AssertProblemAsync(HttpStatusCode.Unauthorized, "api_key_invalid");
    }

    [Fact]
    public async Task A_suspended_tenants_key_is_a_403_problem()
    {
        var tenant = await stack.TenantWithKeyAsync();
        using (var before = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", tenant.Key))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await stack.Auth.PublishAsync(new TenantSuspended(tenant.Tenant, "unpaid"));

        HttpStatusCode last = 0;
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
        {
            using var after = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", tenant.Key);
            last = after.StatusCode;
            return last == HttpStatusCode.Forbidden;
        }, TimeSpan.FromSeconds(10)), $"still {(int)last}");
        using var problem = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", tenant.Key);
        await problem.AssertProblemAsync(HttpStatusCode.Forbidden, "tenant_suspended");
    }

    [Fact]
    public async Task A_bearer_must_belong_to_the_keys_tenant_unless_it_is_a_superadmins()
    {
        var a = await stack.TenantWithKeyAsync();
        var b = await stack.TenantWithKeyAsync();
        var root = await stack.Auth.LoginSuperadminAsync();

        using var mismatch = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", a.Key, b.Admin.Tokens.AccessToken);
        using var same = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", a.Key, a.Admin.Tokens.AccessToken);
        using var superadmin = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", a.Key, root.AccessToken);
        using var garbage = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", a.Key, "not.a.token");

        await mismatch.AssertProblemAsync(HttpStatusCode.Forbidden, "tenant_mismatch");
        Assert.True((await same.ReadAsync<Echo>()).HadBearer);
        Assert.Equal(HttpStatusCode.OK, superadmin.StatusCode);
        await garbage.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task A_bearer_without_a_key_passes_as_its_own_tenant_and_stops_when_the_tenant_is_suspended()
    {
        var tenant = await stack.TenantWithKeyAsync();
        var forged = new Dictionary<string, string> { ["X-Tenant-Id"] = "someone-else" };

        using var ok = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", bearer: tenant.Admin.Tokens.AccessToken, headers: forged);
        using var garbage = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", bearer: "not.a.token");

        var echo = await ok.ReadAsync<Echo>();
        Assert.Equal(tenant.Tenant, echo.TenantHeader);
        Assert.True(echo.HadBearer);
        Assert.False(string.IsNullOrEmpty(ok.Headers.GetValues("RateLimit-Limit").Single()));
        await garbage.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");

        await stack.Auth.PublishAsync(new TenantSuspended(tenant.Tenant, "unpaid"));

        HttpStatusCode last = 0;
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
        {
            using var after = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", bearer: tenant.Admin.Tokens.AccessToken);
            last = after.StatusCode;
            return last == HttpStatusCode.Forbidden;
        }, TimeSpan.FromSeconds(10)), $"still {(int)last}");
        using var problem = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/echo", bearer: tenant.Admin.Tokens.AccessToken);
        await problem.AssertProblemAsync(HttpStatusCode.Forbidden, "tenant_suspended");
    }

    [Fact]
    public async Task Sign_in_and_the_JWKS_need_no_key_and_platform_routes_need_a_superadmin()
    {
        var tenant = await stack.TenantWithKeyAsync();

        using var login = await stack.Client.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(AuthService.AdminEmail, AuthService.AdminPassword));
        using var jwks = await stack.Client.GetAsync("/.well-known/jwks.json");
        using var platformAnonymous = await stack.SendAsync(HttpMethod.Get, "/api/v1/platform/tenants");
        using var platformTenantAdmin = await stack.SendAsync(HttpMethod.Get, "/api/v1/platform/tenants", tenant.Key, tenant.Admin.Tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
        await platformAnonymous.AssertProblemAsync(HttpStatusCode.Unauthorized, "token_required");
        await platformTenantAdmin.AssertProblemAsync(HttpStatusCode.Forbidden, "superadmin_required");
    }
}

/// <summary>A gateway that trusts the console's forwarded address, as the AppHost's does locally.</summary>
public sealed class TrustingGatewayStack : GatewayStack
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraGatewaySettings => [new("Gateway:TrustedProxies:0", "127.0.0.1/32")];
}

public sealed class TrustedProxyTests(TrustingGatewayStack stack) : IClassFixture<TrustingGatewayStack>
{
    [Fact]
    public async Task Behind_a_trusted_proxy_each_browser_address_is_throttled_on_its_own()
    {
        var tenant = await stack.TenantWithKeyAsync();
        var body = new LoginRequest(tenant.Admin.Email, "wrong-password-guess");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            // The console's users, each at an address of their own: one's failures do not slow the others.
            var browser = new Dictionary<string, string> { ["X-Forwarded-For"] = $"198.51.100.{i + 1}" };
            using var response = await stack.SendAsync(HttpMethod.Post, "/api/v1/auth/login", tenant.Key, headers: browser, content: JsonContent.Create(body));
            statuses.Add(response.StatusCode);
        }
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Unauthorized, status));

        // The same browser again and again is slowed.
        var same = new Dictionary<string, string> { ["X-Forwarded-For"] = "198.51.100.200" };
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await stack.SendAsync(HttpMethod.Post, "/api/v1/auth/login", tenant.Key, headers: same, content: JsonContent.Create(body));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using var slowed = await stack.SendAsync(HttpMethod.Post, "/api/v1/auth/login", tenant.Key, headers: same, content: JsonContent.Create(body));
        await slowed.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
    }
}
