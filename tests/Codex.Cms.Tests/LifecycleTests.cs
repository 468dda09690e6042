using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Codex.Auth.Contracts;

namespace Codex.Cms.Tests;

/// <summary>draft → in review → published → archived, with the live copy kept apart from the working copy.</summary>
public sealed class LifecycleTests(CmsStack stack) : IClassFixture<CmsStack>
{
    [Fact]
    public async Task Editing_a_published_item_keeps_the_published_copy_until_it_is_published_again()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        var item = await tenant.Admin.CreateItemAsync("article", "news", new { title = "First" });
        var path = $"/api/v1/cms/items/{item.Id()}";

        var published = await tenant.Admin.PostAsync($"{path}/publish");
        var edited = await tenant.Admin.PutAsync(path, new { slug = "news", data = new { title = "Second" }, baseVersion = 1 });
        var live = await stack.CmsScalarAsync<string>("SELECT published_data->>'title' FROM content_items WHERE id = @id", ("id", item.Id()));
        var again = await tenant.Admin.PostAsync($"{path}/publish");
        var liveAfter = await stack.CmsScalarAsync<string>("SELECT published_data->>'title' FROM content_items WHERE id = @id", ("id", item.Id()));

        Assert.Equal("published", published.Str("status"));
        Assert.Equal(1, published.GetProperty("publishedVersion").GetInt32());
        Assert.Equal("draft", edited.Str("status"));
        Assert.Equal(2, edited.GetProperty("version").GetInt32());
        Assert.Equal(1, edited.GetProperty("publishedVersion").GetInt32());
        Assert.Equal("First", live);
        Assert.Equal(2, again.GetProperty("publishedVersion").GetInt32());
        Assert.Equal("Second", liveAfter);
    }

    [Fact]
    public async Task Unpublish_archive_and_restore_move_the_item_and_wrong_moves_are_409s()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        var item = await tenant.Admin.CreateItemAsync("article", "news", new { title = "First" });
        var path = $"/api/v1/cms/items/{item.Id()}";

        using var notLive = await tenant.Admin.PostAsJsonAsync($"{path}/unpublish", new { });
        await tenant.Admin.PostAsync($"{path}/publish");
        using var twice = await tenant.Admin.PostAsJsonAsync($"{path}/publish", new { });
        var archived = await tenant.Admin.PostAsync($"{path}/archive");
        using var edit = await tenant.Admin.PutAsJsonAsync(path, new { slug = "news", data = new { title = "Changed" } });
        var restored = await tenant.Admin.PostAsync($"{path}/restore");

        await notLive.AssertProblemAsync(HttpStatusCode.Conflict, "invalid_transition");
        await twice.AssertProblemAsync(HttpStatusCode.Conflict, "invalid_transition");
        Assert.Equal("archived", archived.Str("status"));
        Assert.Equal(JsonValueKind.Null, archived.GetProperty("publishedVersion").ValueKind);
        await edit.AssertProblemAsync(HttpStatusCode.Conflict, "item_archived");
        Assert.Equal("draft", restored.Str("status"));
        Assert.Equal(1, restored.GetProperty("version").GetInt32());
        var types = await stack.CmsScalarAsync<string>(
            "SELECT string_agg(event_type, ',' ORDER BY sequence) FROM outbox_messages WHERE tenant_id = @t", ("t", tenant.Id));
        Assert.Equal("cms.content.created,cms.content.published,cms.content.unpublished,cms.content.archived,cms.content.updated", types);
    }

    [Fact]
    public async Task A_type_with_review_is_published_only_by_approving_and_only_by_an_approver()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType(requiresReview: true));
        var item = await tenant.Admin.CreateItemAsync("article", "news", new { title = "First" });
        var path = $"/api/v1/cms/items/{item.Id()}";
        using var created = await tenant.Admin.PostAsJsonAsync("/api/v1/auth/api-keys",
            new CreateApiKeyRequest("editor", ["cms.content.preview", "cms.content.write", "cms.content.publish"]));
        using var editor = stack.GatewayClient(key: (await created.ReadAsync<CreatedApiKey>()).Key);

        using var straight = await tenant.Admin.PostAsJsonAsync($"{path}/publish", new { });
        using var early = await tenant.Admin.PostAsJsonAsync($"{path}/approve", new { });
        var submitted = await editor.PostAsync($"{path}/submit");
        using var selfApproved = await editor.PostAsJsonAsync($"{path}/approve", new { });
        var rejected = await tenant.Admin.PostAsync($"{path}/reject");
        await editor.PostAsync($"{path}/submit");
        var approved = await tenant.Admin.PostAsync($"{path}/approve");

        await straight.AssertProblemAsync(HttpStatusCode.Conflict, "review_required");
        await early.AssertProblemAsync(HttpStatusCode.Conflict, "invalid_transition");
        Assert.Equal("in_review", submitted.Str("status"));
        await selfApproved.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("draft", rejected.Str("status"));
        Assert.Equal("published", approved.Str("status"));
        Assert.Equal(1, approved.GetProperty("publishedVersion").GetInt32());
    }

    [Fact]
    public async Task A_save_from_an_old_version_is_a_409_and_an_unchanged_save_adds_no_version()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        var item = await tenant.Admin.CreateItemAsync("article", "news", new { title = "First" });
        var path = $"/api/v1/cms/items/{item.Id()}";

        await tenant.Admin.PutAsync(path, new { slug = "news", data = new { title = "Mine" }, baseVersion = 1 });
        using var stale = await tenant.Admin.PutAsJsonAsync(path, new { slug = "news", data = new { title = "Theirs" }, baseVersion = 1 });
        var same = await tenant.Admin.PutAsync(path, new { slug = "news", data = new { title = "Mine" } });

        await stale.AssertProblemAsync(HttpStatusCode.Conflict, "version_conflict");
        Assert.Equal(2, same.GetProperty("version").GetInt32());
        Assert.Equal("Mine", same.GetProperty("data").Str("title"));
        Assert.Equal(2, await stack.CountAsync("content_item_revisions", tenant.Id));
    }
}
