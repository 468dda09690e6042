using System.Net;
using System.Net.Http.Json;
using Codex.Auth.Contracts;
using Codex.Platform.Contracts;
using Codex.Testing;
using Codex.Testing.Auth;

namespace Codex.Platform.Tests;

/// <summary>Provisioning while Auth is down: accepted as pending, finished by the worker once Auth is back. Its own stack: it stops Auth.</summary>
public sealed class ProvisioningTests(PlatformStack stack) : IClassFixture<PlatformStack>
{
    [Fact]
    public async Task Provisioning_with_Auth_down_shows_pending_and_completes_when_Auth_returns()
    {
        var token = (await stack.Auth.LoginSuperadminAsync()).AccessToken;
        using var platform = new HttpClient { BaseAddress = stack.Platform.Address };
        platform.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var id = PlatformStack.NewTenantId();
        var email = $"admin@{id}.test";
        // Platform has fetched Auth's signing keys (JWKS) once, as any running Platform would have.
        Assert.Equal(HttpStatusCode.OK, (await platform.GetAsync("/api/v1/platform/tenants")).StatusCode);

        await stack.Auth.StopAsync();
        using var accepted = await platform.PostAsJsonAsync("/api/v1/platform/tenants", new CreateTenantRequest(id, "Late tenant", email, AuthService.TenantPassword));
        var created = await accepted.ReadAsync<CreatedTenant>();
        var whileDown = await (await platform.GetAsync($"/api/v1/platform/tenants/{id}")).ReadAsync<TenantDetail>();
        using var keyTooEarly = await platform.PostAsync($"/api/v1/platform/tenants/{id}/api-key", null);
        await stack.Auth.StartAsync();

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Null(created.ApiKey);
        var pending = Assert.Single(whileDown.Tenant.Provisioning);
        Assert.Equal("pending", pending.Status);
        Assert.Contains("not reachable", pending.LastError);
        await keyTooEarly.AssertProblemAsync(HttpStatusCode.Conflict, "provisioning_incomplete");
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            (await (await platform.GetAsync($"/api/v1/platform/tenants/{id}")).ReadAsync<TenantDetail>()).Tenant.Provisioning.Single().Status == "done",
            TimeSpan.FromSeconds(20)), "provisioning did not complete after Auth came back");
        Assert.Equal(0L, await stack.ScalarAsync<long>("SELECT count(*) FROM provisioning_steps WHERE tenant_id = @t AND protected_input IS NOT NULL", ("t", id)));
        var key = await (await platform.PostAsync($"/api/v1/platform/tenants/{id}/api-key", null)).ReadAsync<IssuedApiKey>();
        using var signIn = await stack.GatewayClient(key.ApiKey).PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(email, AuthService.TenantPassword));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task Issuing_the_key_again_revokes_the_previous_one()
    {
        var tenant = await stack.CreateTenantAsync();
        using var root = await stack.SuperadminAsync();

        var second = await (await root.PostAsync($"/api/v1/platform/tenants/{tenant.Id}/api-key", null)).ReadAsync<IssuedApiKey>();

        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
        {
            using var old = await stack.GatewayClient(tenant.ApiKey).PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(tenant.AdminEmail, AuthService.TenantPassword));
            return old.StatusCode == HttpStatusCode.Unauthorized;
        }, TimeSpan.FromSeconds(5)), "the first key still works");
        using var fresh = await stack.GatewayClient(second.ApiKey).PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(tenant.AdminEmail, AuthService.TenantPassword));
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }
}
