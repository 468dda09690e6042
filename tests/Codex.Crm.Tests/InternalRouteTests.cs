using System.Net;
using System.Net.Http.Headers;
using Svc = Codex.ResourceNames.Services;

namespace Codex.Crm.Tests;

/// <summary>
/// CRM's one internal route, its tenant summary, is Platform's alone. (CRM's own call to Auth, the assignee
/// check, goes with CRM's identity: LeadTests assign leads through it.)
/// </summary>
public sealed class InternalRouteTests(CrmStack stack) : IClassFixture<CrmStack>
{
    [Fact]
    public async Task The_summary_answers_platform_only()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        var path = $"/internal/summary/{tenant.Id}";
        var auth = stack.Auth.App.Address;

        using var anonymous = await stack.Crm.Client.GetAsync(path);
        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized);
        using var user = await SendAsync(path, tenant.AdminTokens.AccessToken);
        await user.AssertProblemAsync(HttpStatusCode.Unauthorized);
        using var forAuth = await SendAsync(path, await TestServiceIdentities.TokenAsync(auth, Svc.Platform, Svc.Auth));
        await forAuth.AssertProblemAsync(HttpStatusCode.Unauthorized);
        using var gateway = await SendAsync(path, await TestServiceIdentities.TokenAsync(auth, Svc.Gateway, Svc.Crm));
        await gateway.AssertProblemAsync(HttpStatusCode.Forbidden);

        using var platform = await SendAsync(path, await TestServiceIdentities.TokenAsync(auth, Svc.Platform, Svc.Crm));
        Assert.Equal(HttpStatusCode.OK, platform.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await stack.Crm.Client.SendAsync(request);
    }
}
