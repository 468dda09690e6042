using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Codex.Cms.Tests;

public sealed class VersionTests(CmsStack stack) : IClassFixture<CmsStack>
{
    [Fact]
    public async Task Every_save_is_a_version_any_two_diff_field_by_field_and_a_rollback_is_a_new_version()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        var item = await tenant.Admin.CreateItemAsync("article", "v", new { title = "One", rating = 1 });
        var path = $"/api/v1/cms/items/{item.Id()}";
        await tenant.Admin.PutAsync(path, new { slug = "v", data = new { title = "Two", rating = 1, featured = true } });
        await tenant.Admin.PutAsync(path, new { slug = "v-three", data = new { title = "Three", featured = true } });

        var versions = await tenant.Admin.GetJsonAsync($"{path}/versions");
        var diff = await tenant.Admin.GetJsonAsync($"{path}/diff?from=1&to=3");
        var rolledBack = await tenant.Admin.PostAsync($"{path}/rollback", new { version = 1 });
        var fourth = await tenant.Admin.GetJsonAsync($"{path}/versions/4");

        Assert.Equal([3, 2, 1], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal("created", versions[2].Str("note"));
        Assert.Equal("v-three", diff.GetProperty("slug").Str("after"));
        var changes = diff.GetProperty("changes").EnumerateArray().ToDictionary(c => c.Str("field"));
        Assert.Equal(["featured", "rating", "title"], changes.Keys.Order());
        Assert.Equal("changed", changes["title"].Str("change"));
        Assert.Equal("One", changes["title"].GetProperty("before").GetString());
        Assert.Equal("Three", changes["title"].GetProperty("after").GetString());
        Assert.Equal("added", changes["featured"].Str("change"));
        Assert.Equal("removed", changes["rating"].Str("change"));
        Assert.Equal(4, rolledBack.GetProperty("version").GetInt32());
        Assert.Equal("v", rolledBack.Str("slug"));
        Assert.Equal("One", rolledBack.GetProperty("data").Str("title"));
        Assert.Equal("rolled back to 1", fourth.Str("note"));
        Assert.Equal(1, fourth.GetProperty("data").GetProperty("rating").GetInt32());
    }

    [Fact]
    public async Task A_version_that_no_longer_fits_the_type_is_not_rolled_back_to()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(new { slug = "post", name = "Post", fields = new object[] { new { name = "title", kind = "text" }, new { name = "author", kind = "text" } } });
        var item = await tenant.Admin.CreateItemAsync("post", "p", new { title = "No author yet" });
        var path = $"/api/v1/cms/items/{item.Id()}";
        await tenant.Admin.PutAsync(path, new { slug = "p", data = new { title = "With author", author = "Ada" } });
        // Every current item has an author now, so the field may become required.
        await tenant.Admin.PutAsync("/api/v1/cms/types/post",
            new { name = "Post", fields = new object[] { new { name = "title", kind = "text" }, new { name = "author", kind = "text", required = true } } });

        using var rollback = await tenant.Admin.PostAsJsonAsync($"{path}/rollback", new { version = 1 });
        using var missing = await tenant.Admin.PostAsJsonAsync($"{path}/rollback", new { version = 9 });
        using var badDiff = await tenant.Admin.GetAsync($"{path}/diff?from=1&to=9");

        (await rollback.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("data.author");
        await missing.AssertProblemAsync(HttpStatusCode.NotFound, "version_not_found");
        await badDiff.AssertProblemAsync(HttpStatusCode.NotFound, "version_not_found");
        Assert.Equal(2, await stack.CountAsync("content_item_revisions", tenant.Id));
    }
}
