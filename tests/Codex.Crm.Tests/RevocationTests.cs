using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Codex.Auth.Contracts;
using Codex.Platform.Contracts;

namespace Codex.Crm.Tests;

/// <summary>
/// A revoked access token stops within 5 seconds everywhere: through the gateway and straight at a service
/// (inside the network), not at its 15-minute expiry. Each case checks that the token worked just before.
/// </summary>
public sealed class RevocationTests(CrmStack stack) : IClassFixture<CrmStack>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Logging_out_stops_the_sessions_access_token_within_seconds()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var token = tenant.AdminTokens.AccessToken;
        await AssertWorksAsync(tenant, token);

        using var logout = await tenant.Admin.PostAsync("/api/v1/auth/logout", null);
        Assert.True(logout.IsSuccessStatusCode, $"{(int)logout.StatusCode}");

        await AssertStopsAsync(tenant, token);
    }

    [Fact]
    public async Task Changing_the_password_stops_the_users_other_sessions_and_keeps_this_one()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var other = await SignInAsync(tenant, AuthService.TenantPassword);
        await AssertWorksAsync(tenant, other);

        using var change = await tenant.Admin.PostAsJsonAsync("/api/v1/auth/password/change",
            new ChangePasswordRequest(AuthService.TenantPassword, "A-Brand-New-Password-2026"));
        Assert.True(change.IsSuccessStatusCode, $"{(int)change.StatusCode} {await change.Content.ReadAsStringAsync()}");

        await AssertStopsAsync(tenant, other);
        await AssertWorksAsync(tenant, tenant.AdminTokens.AccessToken);
    }

    [Fact]
    public async Task An_admin_ending_a_session_or_deactivating_a_user_stops_their_tokens_within_seconds()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var email = $"agent@{tenant.Id}.test";
        using (var created = await tenant.Admin.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest(email, "Agent-Password-2026!", ["user"])))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }
        var agent = await SignInAsync(tenant, "Agent-Password-2026!", email);
        var userId = (await stack.Auth.ScalarAsync<Guid>($"SELECT id FROM users WHERE email = '{email}'"));
        await AssertWorksAsync(tenant, agent);

        using var deactivate = await tenant.Admin.PostAsync($"/api/v1/auth/users/{userId}/deactivate", null);
        Assert.True(deactivate.IsSuccessStatusCode, await deactivate.Content.ReadAsStringAsync());

        await AssertStopsAsync(tenant, agent);
    }

    [Fact]
    public async Task Suspending_a_tenant_stops_its_tokens_at_the_services_and_reactivating_it_lets_new_ones_in()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var token = tenant.AdminTokens.AccessToken;
        await AssertWorksAsync(tenant, token);
        using var root = await stack.SuperadminAsync();

        using (var suspend = await root.PostAsJsonAsync($"/api/v1/platform/tenants/{tenant.Id}/suspend", new SuspendTenantRequest("test")))
        {
            Assert.True(suspend.IsSuccessStatusCode, await suspend.Content.ReadAsStringAsync());
        }
        await AssertStopsAsync(tenant, token);
        // The suspension is named, at the service as at the gateway.
        Assert.Equal(HttpStatusCode.Forbidden, await AtCrmAsync(token));
        Assert.Equal(HttpStatusCode.Forbidden, await ThroughGatewayAsync(tenant, token));

        using (var reactivate = await root.PostAsync($"/api/v1/platform/tenants/{tenant.Id}/reactivate", null))
        {
            Assert.True(reactivate.IsSuccessStatusCode, await reactivate.Content.ReadAsStringAsync());
        }
        // Signing in works again once Auth's replica has the reactivation; the new token passes everywhere.
        string? fresh = null;
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
        {
            using var login = stack.GatewayClient(key: tenant.ApiKey);
            using var response = await login.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(tenant.AdminEmail, AuthService.TenantPassword));
            fresh = response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken : null;
            return fresh is not null;
        }, TimeSpan.FromSeconds(15)));
        await AssertEventuallyAsync(tenant, fresh!, HttpStatusCode.OK, TimeSpan.FromSeconds(10));
    }

    private async Task<string> SignInAsync(ProvisionedTenant tenant, string password, string? email = null)
    {
        using var login = stack.GatewayClient(key: tenant.ApiKey);
        using var response = await login.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(email ?? tenant.AdminEmail, password));
        return (await response.ReadAsync<TokenResponse>()).AccessToken;
    }

    private async Task AssertWorksAsync(ProvisionedTenant tenant, string token)
    {
        Assert.Equal(HttpStatusCode.OK, await ThroughGatewayAsync(tenant, token));
        Assert.Equal(HttpStatusCode.OK, await AtCrmAsync(token));
    }

    /// <summary>Both paths refuse the token within <see cref="Within"/> of the revocation.</summary>
    private async Task AssertStopsAsync(ProvisionedTenant tenant, string token)
    {
        var clock = Stopwatch.StartNew();
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            await AtCrmAsync(token) is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, Within, TimeSpan.FromMilliseconds(100)),
            "CRM still accepted the revoked token after 5 s");
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            await ThroughGatewayAsync(tenant, token) is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, Within - clock.Elapsed, TimeSpan.FromMilliseconds(100)),
            "the gateway still passed the revoked token after 5 s");
    }

    private async Task AssertEventuallyAsync(ProvisionedTenant tenant, string token, HttpStatusCode status, TimeSpan within) =>
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            await AtCrmAsync(token) == status && await ThroughGatewayAsync(tenant, token) == status, within));

    private async Task<HttpStatusCode> ThroughGatewayAsync(ProvisionedTenant tenant, string token)
    {
        using var client = stack.GatewayClient(tenant.ApiKey, token);
        using var response = await client.GetAsync("/api/v1/crm/customers");
        return response.StatusCode;
    }

    // Inside the network: straight to CRM with the bearer alone, as another service or a stolen token would.
    private async Task<HttpStatusCode> AtCrmAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/crm/customers");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await stack.Crm.Client.SendAsync(request);
        return response.StatusCode;
    }
}
