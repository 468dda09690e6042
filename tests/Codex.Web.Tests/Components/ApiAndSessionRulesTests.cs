using System.Net;
using System.Security.Claims;
using System.Text;
using Codex.Security;
using Codex.Web.Api;
using Codex.Web.Session;

namespace Codex.Web.Tests.Components;

public sealed class ApiAndSessionRulesTests
{
    [Theory]
    [InlineData("/tenants?page=2", "/tenants?page=2")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("tenants", "/")]
    [InlineData(null, "/")]
    public void After_sign_in_only_a_path_on_this_site_is_followed(string? returnUrl, string expected) =>
        Assert.Equal(expected, AccountEndpoints.LocalUrl(returnUrl));

    [Fact]
    public async Task A_failure_without_a_problem_body_still_reads_as_a_sentence()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>nginx</html>", Encoding.UTF8, "text/html") };

        var problem = await ApiProblemException.FromAsync(response);

        Assert.Equal(502, problem.Status);
        Assert.Equal("A service is not answering right now; try again shortly.", problem.Message);
        Assert.DoesNotContain("html", problem.Message);
    }

    [Fact]
    public async Task A_refusal_lists_what_stands_in_its_way_one_line_each()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Conflict)
        {
            Content = new StringContent(
                """{"title":"Conflict","status":409,"detail":"The change would leave 2 items or pages invalid.","code":"schema_change_orphans_items","affectedCount":2,"affectedItems":[{"id":"0b5e6f1c-0000-7000-8000-000000000001","slug":"hello","errors":{"data.summary":["summary is required."]}},{"id":"0b5e6f1c-0000-7000-8000-000000000002","name":"home (fr)"}]}""",
                Encoding.UTF8, "application/problem+json"),
        };

        var problem = await ApiProblemException.FromAsync(response);

        Assert.Equal(["hello: data.summary summary is required.", "home (fr)"], problem.Affected);
        Assert.Equal(["hello: data.summary summary is required.", "home (fr)"], Codex.Web.Components.Shared.PageProblem.From(problem).Details);
    }

    [Fact]
    public async Task A_problem_prefers_its_detail_and_keeps_its_code()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Forbidden)
        {
            Content = new StringContent("""{"title":"Forbidden","status":403,"detail":"Tenant 'acme' is suspended.","code":"tenant_suspended"}""",
                Encoding.UTF8, "application/problem+json"),
        };

        var problem = await ApiProblemException.FromAsync(response);

        Assert.Equal("Tenant 'acme' is suspended.", problem.Message);
        Assert.Equal("tenant_suspended", problem.Code);
        Assert.Empty(problem.FieldMessages);
    }

    [Fact]
    public void Tenant_admin_pages_need_user_read_and_are_not_for_superadmins()
    {
        static ClaimsPrincipal User(params (string Type, string Value)[] claims) =>
            new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));

        Assert.True(ConsolePolicies.IsTenantAdmin(User((CodexClaims.Permission, "auth.*"))));
        Assert.True(ConsolePolicies.IsTenantAdmin(User((CodexClaims.Permission, "*.*.read"))));
        Assert.False(ConsolePolicies.IsTenantAdmin(User((CodexClaims.Permission, "crm.*"))));
        Assert.False(ConsolePolicies.IsTenantAdmin(User((CodexClaims.Role, CodexClaims.SuperadminRole))));
    }

    [Fact]
    public void Provisioning_reads_as_failed_before_pending_before_done()
    {
        static ProvisioningStepDto Step(string status) => new("auth", status, 1, null, DateTimeOffset.UtcNow, null);
        static TenantDto Tenant(params ProvisioningStepDto[] steps) =>
            new("acme", "Acme", "free", "active", null, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, steps);

        Assert.Equal("done", Tenant(Step("done")).ProvisioningStatus);
        Assert.Equal("pending", Tenant(Step("done"), Step("pending")).ProvisioningStatus);
        Assert.Equal("failed", Tenant(Step("pending"), Step("failed")).ProvisioningStatus);
    }

    [Fact]
    public void Ledger_filters_become_an_escaped_query_and_empty_ones_are_left_out()
    {
        var filter = new LedgerFilter("acme", null, "platform.tenant.suspended", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(2)), null, 2, 50);

        Assert.Equal("page=2&pageSize=50&tenantId=acme&type=platform.tenant.suspended&from=2026-10-31T22%3A00%3A00.0000000Z", filter.ToQuery());
    }

    [Fact]
    public void The_ledger_filters_offer_every_contract_event_type_and_the_security_ones_among_them()
    {
        var all = Codex.Contracts.EventTypes.All;

        Assert.Contains("platform.tenant.suspended", all);
        Assert.Contains("crm.lead.stage_changed", all);
        Assert.Equal(all.Order(StringComparer.Ordinal), all);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(["auth.user.login_failed", "auth.user.locked_out", "auth.refresh_token.reused", "auth.permission.denied"], Codex.Contracts.EventTypes.Security);
        Assert.All(Codex.Contracts.EventTypes.Security, type => Assert.Contains(type, all));
    }
}
