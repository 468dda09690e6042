using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Codex.Crm.Tests;

/// <summary>CRM while Auth is stopped: an assignee it cannot check is a 503, never a guess. (A fixture of its own: it stops Auth.)</summary>
public sealed class AuthOutageTests(CrmStack stack) : IClassFixture<CrmStack>
{
    [Fact]
    public async Task An_assignee_cannot_be_checked_while_auth_is_down_so_the_lead_is_refused_with_a_503_and_nothing_is_written()
    {
        var tenant = await stack.CreateCrmTenantAsync();
        using var user = await tenant.Admin.PostAsJsonAsync("/api/v1/auth/users", new { email = $"rep@{tenant.Id}.test", password = AuthService.TenantPassword });
        var assignee = (await user.ReadAsync<JsonElement>()).Id();
        var cached = await tenant.Admin.CreateLeadAsync(new { title = "Checked while Auth is up", currency = "EUR", assignedTo = assignee });

        await stack.Auth.StopAsync();
        try
        {
            // Straight to CRM: the gateway would need Auth for the key; CRM's JWKS and its assignee cache are warm.
            using var crm = new HttpClient { BaseAddress = stack.Crm.Address };
            crm.DefaultRequestHeaders.Authorization = new("Bearer", tenant.AdminTokens.AccessToken);
            using var unknown = await crm.PostAsJsonAsync("/api/v1/crm/leads", new { title = "Unknown assignee", currency = "EUR", assignedTo = Guid.NewGuid() });
            var known = await crm.CreateLeadAsync(new { title = "Cached assignee", currency = "EUR", assignedTo = assignee });

            var problem = await unknown.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "auth_unavailable");
            Assert.True(unknown.Headers.RetryAfter is not null, problem.ToString());
            Assert.Equal(assignee, known.GetProperty("assignedTo").GetGuid());
            Assert.Equal(2, await stack.CountAsync("leads", tenant.Id));
            Assert.NotEqual(cached.Id(), known.Id());
        }
        finally
        {
            await stack.Auth.StartAsync();
        }
    }
}
