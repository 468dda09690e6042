using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Codex.Cms.Tests;

/// <summary>A type's fields change only in ways its items survive; otherwise the answer lists the items that would not.</summary>
public sealed class SchemaChangeTests(CmsStack stack) : IClassFixture<CmsStack>
{
    private static object Fields(params object[] fields) => new { name = "Post", fields };

    [Fact]
    public async Task Removing_a_field_that_holds_data_is_refused_with_the_affected_items_and_nothing_changes()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(new { slug = "post", name = "Post", fields = new object[] { new { name = "title", kind = "text" }, new { name = "teaser", kind = "text" } } });
        var holds = await tenant.Admin.CreateItemAsync("post", "holds", new { title = "A", teaser = "kept" });
        await tenant.Admin.CreateItemAsync("post", "empty", new { title = "B" });

        using var response = await tenant.Admin.PutAsJsonAsync("/api/v1/cms/types/post", Fields(new { name = "title", kind = "text" }));
        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "schema_change_orphans_items");
        var type = await tenant.Admin.GetJsonAsync("/api/v1/cms/types/post");

        Assert.Equal(1, problem.GetProperty("affectedCount").GetInt32());
        var affected = Assert.Single(problem.GetProperty("affectedItems").EnumerateArray());
        Assert.Equal(holds.Id(), affected.Id());
        Assert.True(affected.GetProperty("errors").TryGetProperty("data.teaser", out _), affected.ToString());
        Assert.Equal(2, type.GetProperty("fields").GetArrayLength());
        Assert.Equal(1, type.GetProperty("schemaVersion").GetInt32());
    }

    [Fact]
    public async Task A_new_required_field_or_a_narrower_bound_is_refused_while_items_break_it()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(new { slug = "post", name = "Post", fields = new object[] { new { name = "title", kind = "text", max = 50 } } });
        await tenant.Admin.CreateItemAsync("post", "long", new { title = new string('x', 40) });

        using var required = await tenant.Admin.PutAsJsonAsync("/api/v1/cms/types/post",
            Fields(new { name = "title", kind = "text", max = 50 }, new { name = "author", kind = "text", required = true }));
        using var narrower = await tenant.Admin.PutAsJsonAsync("/api/v1/cms/types/post", Fields(new { name = "title", kind = "text", max = 30 }));

        (await required.AssertProblemAsync(HttpStatusCode.Conflict, "schema_change_orphans_items")).GetProperty("affectedItems")[0]
            .GetProperty("errors").GetProperty("data.author");
        (await narrower.AssertProblemAsync(HttpStatusCode.Conflict, "schema_change_orphans_items")).GetProperty("affectedItems")[0]
            .GetProperty("errors").GetProperty("data.title");
    }

    [Fact]
    public async Task A_compatible_change_is_saved_and_new_writes_follow_it()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(new { slug = "post", name = "Post", fields = new object[] { new { name = "title", kind = "text" } } });
        var item = await tenant.Admin.CreateItemAsync("post", "one", new { title = "One" });

        var changed = await tenant.Admin.PutAsync("/api/v1/cms/types/post",
            new { name = "Blog post", requiresReview = true, fields = new object[] { new { name = "title", kind = "text" }, new { name = "score", kind = "number", max = 10 } } });
        using var tooHigh = await tenant.Admin.PutAsJsonAsync($"/api/v1/cms/items/{item.Id()}", new { slug = "one", data = new { title = "One", score = 11 } });
        var fine = await tenant.Admin.PutAsync($"/api/v1/cms/items/{item.Id()}", new { slug = "one", data = new { title = "One", score = 9 } });

        Assert.Equal(2, changed.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("Blog post", changed.Str("name"));
        Assert.True(changed.GetProperty("requiresReview").GetBoolean());
        (await tooHigh.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("data.score");
        Assert.Equal(9, fine.GetProperty("data").GetProperty("score").GetInt32());
    }

    [Fact]
    public async Task A_template_s_pages_must_survive_its_change_and_a_template_in_use_is_not_deleted()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(new { slug = "landing", name = "Landing", fields = new object[] { new { name = "hero", kind = "text" }, new { name = "cta", kind = "text" } } });
        var page = await tenant.Admin.PostAsync("/api/v1/cms/pages", new { slug = "home", title = "Home", template = "landing", content = new { hero = "Hi", cta = "Buy" } });

        using var change = await tenant.Admin.PutAsJsonAsync("/api/v1/cms/types/landing", Fields(new { name = "hero", kind = "text" }));
        using var delete = await tenant.Admin.DeleteAsync("/api/v1/cms/types/landing");

        var affected = Assert.Single((await change.AssertProblemAsync(HttpStatusCode.Conflict, "schema_change_orphans_items")).GetProperty("affectedItems").EnumerateArray());
        Assert.Equal(page.Id(), affected.Id());
        Assert.Equal("home", affected.Str("slug"));
        affected.GetProperty("errors").GetProperty("content.cta");
        await delete.AssertProblemAsync(HttpStatusCode.Conflict, "content_type_in_use");
    }
}
