using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Codex.Auth.Contracts;
using Svc = Codex.ResourceNames.Services;

namespace Codex.Crm.Tests;

/// <summary>
/// A key's scopes bound what it can do: at the gateway (the route's service and the method's action) and in
/// the service (the exact permission), and a key alone, with no user, may call what its scopes allow.
/// </summary>
public sealed class ApiKeyScopeTests(CrmStack stack) : IClassFixture<CrmStack>
{
    [Fact]
    public async Task A_crm_read_key_alone_reads_crm_and_cannot_write_to_it_or_read_auth()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        await tenant.Admin.CreateCustomerAsync(new { name = "Existing" });
        var key = await CreateKeyAsync(tenant, ["crm.read"]);
        Assert.Equal(["crm.*.read"], key.ApiKey.Scopes);
        using var client = stack.GatewayClient(key: key.Key);

        using var read = await client.GetAsync("/api/v1/crm/customers");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Single((await read.ReadAsync<System.Text.Json.JsonElement>()).Items());

        using var write = await client.PostAsJsonAsync("/api/v1/crm/customers", new { name = "Sneaky" });
        await write.AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        using var auth = await client.GetAsync("/api/v1/auth/users");
        await auth.AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Equal(1, await stack.CountAsync("customers", tenant.Id));
    }

    [Fact]
    public async Task A_key_alone_writes_what_its_scopes_allow_and_the_service_refuses_the_rest()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var key = await CreateKeyAsync(tenant, ["crm.customers.write", "crm.customers.read"]);
        using var client = stack.GatewayClient(key: key.Key);

        using var created = await client.PostAsJsonAsync("/api/v1/crm/customers", new { name = "By key" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        // The gateway lets a CRM write through (the key reaches CRM writes); CRM refuses leads, which it does not cover.
        using var lead = await client.PostAsJsonAsync("/api/v1/crm/leads", new { name = "Not mine", email = "lead@example.com" });
        await lead.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, await stack.CountAsync("leads", tenant.Id));
        Assert.Equal(1, await stack.CountAsync("customers", tenant.Id));
    }

    [Fact]
    public async Task A_key_bounds_a_signed_in_user_who_sends_it()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var key = await CreateKeyAsync(tenant, ["crm.read"]);
        using var client = stack.GatewayClient(key.Key, tenant.AdminTokens.AccessToken);

        using var read = await client.GetAsync("/api/v1/crm/customers");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using var write = await client.PostAsJsonAsync("/api/v1/crm/customers", new { name = "Admin, but through a read key" });
        await write.AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Equal(0, await stack.CountAsync("customers", tenant.Id));
    }

    [Fact]
    public async Task The_service_itself_holds_a_key_token_to_the_keys_scopes()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var key = await CreateKeyAsync(tenant, ["crm.leads.read"]);
        var token = await KeyTokenAsync(key.Key);

        // Straight at CRM, inside the network: the token's permissions are the key's scopes and nothing more.
        Assert.Equal(HttpStatusCode.OK, await AtCrmAsync(HttpMethod.Get, "/api/v1/crm/leads", token));
        Assert.Equal(HttpStatusCode.Forbidden, await AtCrmAsync(HttpMethod.Get, "/api/v1/crm/customers", token));
        Assert.Equal(HttpStatusCode.Forbidden, await AtCrmAsync(HttpMethod.Post, "/api/v1/crm/leads", token));
        Assert.Equal(0, await stack.CountAsync("leads", tenant.Id));
    }

    [Fact]
    public async Task A_revoked_key_stops_within_seconds_at_the_gateway_and_its_token_at_the_service()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var key = await CreateKeyAsync(tenant, ["crm.read"]);
        using var client = stack.GatewayClient(key: key.Key);
        using (var before = await client.GetAsync("/api/v1/crm/customers"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }
        var token = await KeyTokenAsync(key.Key);
        Assert.Equal(HttpStatusCode.OK, await AtCrmAsync(HttpMethod.Get, "/api/v1/crm/customers", token));

        using (var revoke = await tenant.Admin.DeleteAsync($"/api/v1/auth/api-keys/{key.ApiKey.Id}"))
        {
            Assert.True(revoke.IsSuccessStatusCode, $"{(int)revoke.StatusCode}");
        }

        var clock = Stopwatch.StartNew();
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            await AtCrmAsync(HttpMethod.Get, "/api/v1/crm/customers", token) == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100)), "CRM still accepted the revoked key's token after 5 s");
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
        {
            using var after = await client.GetAsync("/api/v1/crm/customers");
            return after.StatusCode == HttpStatusCode.Unauthorized;
        }, TimeSpan.FromSeconds(5) - clock.Elapsed, TimeSpan.FromMilliseconds(100)), "the gateway still passed the revoked key after 5 s");
    }

    private static async Task<CreatedApiKey> CreateKeyAsync(ProvisionedTenant tenant, string[] scopes)
    {
        using var response = await tenant.Admin.PostAsJsonAsync("/api/v1/auth/api-keys", new CreateApiKeyRequest("scoped", scopes));
        return await response.ReadAsync<CreatedApiKey>();
    }

    // What the gateway forwards for a key alone, fetched as the gateway does (with its service identity).
    private async Task<string> KeyTokenAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/internal/api-keys/token") { Content = JsonContent.Create(new { key }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
            await TestServiceIdentities.TokenAsync(stack.Auth.App.Address, Svc.Gateway, Svc.Auth));
        using var response = await stack.Auth.App.Client.SendAsync(request);
        var answer = await response.ReadAsync<KeyTokenResponse>();
        Assert.True(answer.Active, answer.Reason);
        return answer.AccessToken!;
    }

    private async Task<HttpStatusCode> AtCrmAsync(HttpMethod method, string path, string token)
    {
        using var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post)
        {
            request.Content = JsonContent.Create(new { name = "Inside job", email = "inside@example.com" });
        }
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await stack.Crm.Client.SendAsync(request);
        return response.StatusCode;
    }
}
