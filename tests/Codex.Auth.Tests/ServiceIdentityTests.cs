using System.Net;
using System.Net.Http.Json;
using Codex.Auth.Contracts;
using Codex.Testing;
using Codex.Testing.Auth;
using Svc = Codex.ResourceNames.Services;

namespace Codex.Auth.Tests;

/// <summary>
/// Every internal route of Auth admits only the services that need it, by a client-credentials token Auth
/// issued for Auth: no token is 401, a user's token (even a superadmin's) is 401, a token for another callee
/// is 401, another service's token is 403, and none of these writes anything.
/// </summary>
public sealed class ServiceIdentityTests(AuthService auth) : IClassFixture<AuthService>
{
    /// <summary>Each internal route, the one service it admits, and a service it must refuse.</summary>
    public static TheoryData<string, string, string, string> Routes => new()
    {
        { "POST", "/internal/api-keys/introspect", Svc.Gateway, Svc.Crm },
        { "GET", "/internal/tenants/{tenant}/standing", Svc.Gateway, Svc.Platform },
        { "GET", "/internal/summary/{tenant}", Svc.Platform, Svc.Gateway },
        { "GET", "/internal/tenants/{tenant}/users/{user}", Svc.Crm, Svc.Gateway },
        { "POST", "/internal/tenants/{tenant}/provision", Svc.Platform, Svc.Crm },
        { "POST", "/internal/tenants/{tenant}/api-keys/provisioned", Svc.Platform, Svc.Gateway },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task An_internal_route_admits_only_its_callers_and_a_refusal_writes_nothing(string method, string template, string caller, string other)
    {
        var tenant = await auth.CreateTenantAsync();
        var path = template.Replace("{tenant}", tenant, StringComparison.Ordinal).Replace("{user}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
        var superadmin = await auth.LoginSuperadminAsync();
        var before = await CountsAsync();

        using (var anonymous = await SendAsync(method, path, bearer: null))
        {
            await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized);
        }
        using (var user = await SendAsync(method, path, superadmin.AccessToken))
        {
            await user.AssertProblemAsync(HttpStatusCode.Unauthorized);
        }
        using (var otherCallee = await SendAsync(method, path, await TestServiceIdentities.TokenAsync(auth.App.Address, caller, Svc.Crm)))
        {
            await otherCallee.AssertProblemAsync(HttpStatusCode.Unauthorized);
        }
        using (var otherService = await SendAsync(method, path, await TestServiceIdentities.TokenAsync(auth.App.Address, other, Svc.Auth)))
        {
            await otherService.AssertProblemAsync(HttpStatusCode.Forbidden);
        }
        Assert.Equal(before, await CountsAsync());

        using var admitted = await SendAsync(method, path, await TestServiceIdentities.TokenAsync(auth.App.Address, caller, Svc.Auth));
        Assert.NotEqual(HttpStatusCode.Unauthorized, admitted.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, admitted.StatusCode);
        Assert.True((int)admitted.StatusCode < 500, $"{method} {path} as {caller}: {(int)admitted.StatusCode} {await admitted.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Platform_cannot_provision_into_the_reserved_platform_tenant_or_any_non_slug()
    {
        var before = await CountsAsync();
        var token = await TestServiceIdentities.TokenAsync(auth.App.Address, Svc.Platform, Svc.Auth);

        foreach (var tenant in new[] { "_platform", "Upper-Case", "x" })
        {
            using var provision = await SendAsync("POST", $"/internal/tenants/{tenant}/provision", token,
                new ProvisionTenantRequest("Evil", $"evil@{Guid.NewGuid():N}.test", "Evil-Admin-Password-2026"));
            await provision.AssertProblemAsync(HttpStatusCode.BadRequest, "tenant_id_invalid");
            using var key = await SendAsync("POST", $"/internal/tenants/{tenant}/api-keys/provisioned", token);
            await key.AssertProblemAsync(HttpStatusCode.BadRequest, "tenant_id_invalid");
        }
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task The_token_endpoint_refuses_unknown_clients_wrong_secrets_other_grants_and_the_users_audience()
    {
        var http = auth.Client;
        using (var wrong = await TestServiceIdentities.RequestTokenAsync(http, Svc.Gateway, "not-the-secret", Svc.Auth))
        {
            await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_client");
            Assert.Equal("Basic", Assert.Single(wrong.Headers.WwwAuthenticate).Scheme);
        }
        using (var unknown = await TestServiceIdentities.RequestTokenAsync(http, "intruder", TestServiceIdentities.Secret(Svc.Gateway), Svc.Auth))
        {
            await unknown.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_client");
        }
        using (var grant = await TestServiceIdentities.RequestTokenAsync(http, Svc.Gateway, TestServiceIdentities.Secret(Svc.Gateway), Svc.Auth, grant: "password"))
        {
            await grant.AssertProblemAsync(HttpStatusCode.BadRequest, "unsupported_grant_type");
        }
        foreach (var audience in new[] { "codex", "", "Not A Service" })
        {
            using var target = await TestServiceIdentities.RequestTokenAsync(http, Svc.Gateway, TestServiceIdentities.Secret(Svc.Gateway), audience);
            await target.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_target");
        }
        using (var json = await http.PostAsJsonAsync("/connect/token", new { grant_type = "client_credentials" }))
        {
            await json.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        }
    }

    [Fact]
    public async Task A_service_token_is_not_a_users_token()
    {
        var tenant = await auth.CreateTenantAsync();
        var before = await CountsAsync();
        // Even for the users' own routes on Auth, with the tenant named: a service token carries no user.
        using var client = auth.ClientWith(await TestServiceIdentities.TokenAsync(auth.App.Address, Svc.Platform, Svc.Auth), tenant);

        using var list = await client.GetAsync("/api/v1/auth/users");
        await list.AssertProblemAsync(HttpStatusCode.Unauthorized);
        using var create = await client.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest($"svc@{tenant}.test", "Service-Made-Password-2026", ["admin"]));
        await create.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(before, await CountsAsync());
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? bearer, object? body = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(body ?? (path.EndsWith("/introspect", StringComparison.Ordinal) ? new { key = "cdx_unknown" } : new { }));
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new("Bearer", bearer);
        }
        return await auth.Client.SendAsync(request);
    }

    private Task<string> CountsAsync() => auth.ScalarAsync<string>(
        "SELECT (SELECT count(*) FROM tenants) || '/' || (SELECT count(*) FROM users) || '/' || (SELECT count(*) FROM api_keys) || '/' || (SELECT count(*) FROM outbox_messages)");
}
