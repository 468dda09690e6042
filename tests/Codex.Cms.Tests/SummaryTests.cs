using System.Net.Http.Json;
using System.Text.Json;

namespace Codex.Cms.Tests;

public sealed class SummaryTests(CmsStack stack) : IClassFixture<CmsStack>
{
    [Fact]
    public async Task Content_events_reach_platforms_summary_and_match_cms_own_figures()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        var a = await tenant.Admin.CreateItemAsync("article", "a", new { title = "A" });
        var b = await tenant.Admin.CreateItemAsync("article", "b", new { title = "B" });
        var c = await tenant.Admin.CreateItemAsync("article", "c", new { title = "C" });
        await tenant.Admin.PostAsync($"/api/v1/cms/items/{a.Id()}/publish");
        await tenant.Admin.PutAsync($"/api/v1/cms/items/{a.Id()}", new { slug = "a", data = new { title = "A2" } });
        await tenant.Admin.PostAsync($"/api/v1/cms/items/{a.Id()}/publish");   // republished: still one live item
        await tenant.Admin.PostAsync($"/api/v1/cms/items/{b.Id()}/publish");
        await tenant.Admin.PostAsync($"/api/v1/cms/items/{b.Id()}/archive");   // unpublished on the way
        await tenant.Admin.PostAsync($"/api/v1/cms/items/{c.Id()}/publish");
        var home = await tenant.Admin.PostAsync("/api/v1/cms/pages", new { slug = "home", title = "Home", template = "article", content = new { title = "Home" } });
        var old = await tenant.Admin.PostAsync("/api/v1/cms/pages", new { slug = "old", title = "Old", template = "article", content = new { title = "Old" } });
        await tenant.Admin.PostAsync($"/api/v1/cms/pages/{home.Id()}/publish");
        await tenant.Admin.PostAsync($"/api/v1/cms/pages/{old.Id()}/publish");
        using (await tenant.Admin.DeleteAsync($"/api/v1/cms/pages/{old.Id()}"))
        {
        }

        using var platform = await TestServiceIdentities.ClientAsync(stack.Auth.App.Address, stack.Cms.Address, ResourceNames.Services.Platform, ResourceNames.Services.Cms);
        var own = await platform.GetFromJsonAsync<JsonElement>($"/internal/summary/{tenant.Id}", TestContext.Current.CancellationToken);
        JsonElement cms = default;
        var arrived = await TestInfrastructure.EventuallyAsync(async () =>
        {
            cms = (await stack.SummaryAsync(tenant.Id)).TryGetProperty("cms", out var figures) ? figures : default;
            return cms.ValueKind == JsonValueKind.Object && cms.GetProperty("contentItems").GetInt32() == 3 && cms.GetProperty("publishedItems").GetInt32() == 2
                   && cms.GetProperty("pages").GetInt32() == 1 && cms.GetProperty("publishedPages").GetInt32() == 1;
        }, TimeSpan.FromSeconds(10));
        using var reconcile = await (await stack.SuperadminAsync()).PostAsync($"/api/v1/platform/tenants/{tenant.Id}/reconcile", null, TestContext.Current.CancellationToken);
        var report = await reconcile.ReadAsync<JsonElement>();

        Assert.True(arrived, cms.ToString());
        Assert.Equal(3, own.GetProperty("contentItems").GetInt32());
        Assert.Equal(2, own.GetProperty("publishedItems").GetInt32());
        Assert.Equal(1, own.GetProperty("pages").GetInt32());
        Assert.Equal(1, own.GetProperty("publishedPages").GetInt32());
        Assert.DoesNotContain(report.GetProperty("repairs").EnumerateArray(), r => r.Str("service") == "cms");
        Assert.DoesNotContain(report.GetProperty("unreachable").EnumerateArray(), service => service.GetString() == "cms");
        // Four publications (one of them a newer version of a live item), each in Platform's audit log.
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => await stack.AuditCountAsync(tenant.Id, "cms.content.published") == 4, TimeSpan.FromSeconds(10)));
    }
}
