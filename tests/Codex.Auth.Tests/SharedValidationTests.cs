using System.Net;
using System.Net.Http.Headers;
using Codex.Testing.Auth;
using Codex.Security.Authorization;
using Codex.Security.Tenancy;
using Codex.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Codex.Auth.Tests;

/// <summary>
/// Another service trusting Auth's tokens the way every Codex service does: AddCodexAuthentication,
/// keys from Auth's JWKS over HTTP (found by service discovery), RequirePermission on an endpoint.
/// </summary>
public sealed class SharedValidationTests(AuthService auth) : IClassFixture<AuthService>, IAsyncLifetime
{
    private TestApp? _crm;

    public async ValueTask InitializeAsync() =>
        _crm = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["services:auth:http:0"] = auth.App.Address.ToString().TrimEnd('/') },
            builder => builder.AddCodexAuthentication(),
            app =>
            {
                app.UseCodexAuthentication();
                app.MapPost("/api/v1/crm/leads", (TenantContext tenant) => Results.Ok(new { tenant = tenant.TenantId }))
                    .RequirePermission("crm.leads.write");
            },
            applicationName: "Codex.Crm");

    public async ValueTask DisposeAsync()
    {
        if (_crm is not null)
        {
            await _crm.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_token_with_the_permission_passes_and_the_service_sees_its_tenant()
    {
        var admin = await auth.CreateTenantWithAdminAsync();

        using var response = await Send(admin.Tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(admin.Tenant, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_the_permission_403_and_without_a_token_401()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        await auth.CreateUserAsync(admin.Tenant, $"reader@{admin.Tenant}.test", AuthService.TenantPassword, ["readonly"]);
        var reader = await auth.LoginAsync($"reader@{admin.Tenant}.test", AuthService.TenantPassword, admin.Tenant);

        using var forbidden = await Send(reader.AccessToken);
        using var anonymous = await Send(null);

        await forbidden.AssertProblemAsync(HttpStatusCode.Forbidden);
        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_key_the_service_has_not_seen_yet_is_fetched_when_a_token_names_it()
    {
        var root = await auth.LoginSuperadminAsync();
        using (var warm = await Send(root.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);   // the service now caches the current key set
        }
        using var client = auth.ClientWith(root.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/v1/auth/admin/signing-keys/rotate", null)).StatusCode);
        var fresh = await auth.LoginSuperadminAsync();
        Assert.NotEqual(new JsonWebToken(root.AccessToken).Kid, new JsonWebToken(fresh.AccessToken).Kid);

        var accepted = await TestInfrastructure.EventuallyAsync(async () =>
        {
            using var response = await Send(fresh.AccessToken);
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(10));

        Assert.True(accepted, "a token signed with the new key was still refused after 10 s");
        using var old = await Send(root.AccessToken);
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
    }

    private async Task<HttpResponseMessage> Send(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/crm/leads");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await _crm!.Client.SendAsync(request);
    }
}
