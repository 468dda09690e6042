using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Codex.Cms.Infrastructure;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Svc = Codex.ResourceNames.Services;

namespace Codex.Cms.Tests;

/// <summary>No tenant sees another's content: every route answers 404 for another tenant's ids, and the database shows the role one tenant's rows.</summary>
public sealed class IsolationTests(CmsStack stack) : IClassFixture<CmsStack>
{
    [Fact]
    public async Task Another_tenants_ids_are_404s_on_every_route_and_change_nothing()
    {
        var owner = await stack.CreateTenantAsync();
        var other = await stack.CreateTenantAsync();
        await owner.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        var item = await owner.Admin.CreateItemAsync("article", "secret", new { title = "Secret" });
        await owner.Admin.PutAsync($"/api/v1/cms/items/{item.Id()}", new { slug = "secret", data = new { title = "Secret 2" } });
        var path = $"/api/v1/cms/items/{item.Id()}";
        var update = new { slug = "secret", data = new { title = "Mine now" } };

        var calls = new List<(string Route, HttpResponseMessage Response)>
        {
            ("get", await other.Admin.GetAsync(path)),
            ("put", await other.Admin.PutAsJsonAsync(path, update)),
            ("versions", await other.Admin.GetAsync($"{path}/versions")),
            ("version", await other.Admin.GetAsync($"{path}/versions/1")),
            ("diff", await other.Admin.GetAsync($"{path}/diff?from=1&to=2")),
            ("rollback", await other.Admin.PostAsJsonAsync($"{path}/rollback", new { version = 1 })),
            ("type", await other.Admin.GetAsync("/api/v1/cms/types/article")),
            ("type schema", await other.Admin.GetAsync("/api/v1/cms/types/article/schema")),
            ("type delete", await other.Admin.DeleteAsync("/api/v1/cms/types/article")),
            ("create in their type", await other.Admin.PostAsJsonAsync("/api/v1/cms/items", new { type = "article", slug = "x", data = new { title = "X" } })),
        };
        foreach (var action in new[] { "submit", "approve", "reject", "publish", "unpublish", "archive", "restore" })
        {
            calls.Add((action, await other.Admin.PostAsJsonAsync($"{path}/{action}", new { })));
        }
        var list = await other.Admin.GetJsonAsync("/api/v1/cms/items");
        var types = await other.Admin.GetJsonAsync("/api/v1/cms/types");

        foreach (var (route, response) in calls)
        {
            using (response)
            {
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{route}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
        Assert.Empty(list.GetProperty("items").EnumerateArray());
        Assert.Empty(types.EnumerateArray());
        var mine = await owner.Admin.GetJsonAsync(path);
        Assert.Equal("Secret 2", mine.GetProperty("data").Str("title"));
        Assert.Equal("draft", mine.Str("status"));
        Assert.Equal(0, await stack.CountAsync("content_items", other.Id));
    }

    [Fact]
    public async Task A_query_without_the_tenant_filter_still_sees_only_its_tenant()
    {
        var ours = await stack.CreateTenantAsync();
        var theirs = await stack.CreateTenantAsync();
        await ours.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        await theirs.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        await theirs.Admin.CreateItemAsync("article", "theirs", new { title = "Theirs" });

        await using var scope = stack.Cms.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(ours.Id);
        var db = scope.ServiceProvider.GetRequiredService<CmsDbContext>();
        var items = await db.ContentItems.IgnoreQueryFilters().CountAsync(TestContext.Current.CancellationToken);
        var revisions = await db.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM content_item_revisions").SingleAsync(TestContext.Current.CancellationToken);
        var typeTenants = await db.ContentTypes.IgnoreQueryFilters().Select(t => t.TenantId).Distinct().ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, items);
        Assert.Equal(0, revisions);
        Assert.Equal([ours.Id], typeTenants);
        Assert.Equal(1, await stack.CountAsync("content_items", theirs.Id));
    }

    [Fact]
    public async Task The_summary_route_answers_platform_only()
    {
        var tenant = await stack.CreateTenantAsync();
        var path = $"/internal/summary/{tenant.Id}";
        var auth = stack.Auth.App.Address;

        using var anonymous = await stack.Cms.Client.GetAsync(path);
        using var user = await SendAsync(path, tenant.AdminTokens.AccessToken);
        using var gateway = await SendAsync(path, await TestServiceIdentities.TokenAsync(auth, Svc.Gateway, Svc.Cms));
        using var platform = await SendAsync(path, await TestServiceIdentities.TokenAsync(auth, Svc.Platform, Svc.Cms));

        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await user.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await gateway.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, platform.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await stack.Cms.Client.SendAsync(request);
    }
}
