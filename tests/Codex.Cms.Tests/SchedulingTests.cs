using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Codex.Cms.Services;
using Codex.Security.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace Codex.Cms.Tests;

/// <summary>Scheduled publish and unpublish, fired by every replica's scheduler and each exactly once.</summary>
public sealed class SchedulingTests(CmsStack stack) : IClassFixture<CmsStack>
{
    [Fact]
    public async Task With_two_replicas_each_scheduled_publication_fires_once()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        await using var replica = await stack.StartReplicaAsync();
        var at = DateTimeOffset.UtcNow.AddSeconds(2);
        var ids = new List<Guid>();
        for (var n = 0; n < 20; n++)
        {
            var item = await tenant.Admin.CreateItemAsync("article", $"s{n}", new { title = $"Scheduled {n}" });
            var scheduled = await tenant.Admin.PostAsync($"/api/v1/cms/items/{item.Id()}/publish", new { at });
            Assert.Equal("draft", scheduled.Str("status"));
            Assert.Equal(at, scheduled.GetProperty("publishAt").GetDateTimeOffset());
            ids.Add(item.Id());
        }

        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            await stack.CmsScalarAsync<long>("SELECT count(*) FROM content_items WHERE tenant_id = @t AND published_version IS NOT NULL", ("t", tenant.Id)) == 20,
            TimeSpan.FromSeconds(20)), "the scheduled items were not all published");
        await Task.Delay(500, TestContext.Current.CancellationToken);   // room for a second firing, were there one

        Assert.Equal(20L, await stack.CmsScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE tenant_id = @t AND event_type = 'cms.content.published'", ("t", tenant.Id)));
        Assert.Equal(20L, await stack.CmsScalarAsync<long>(
            "SELECT count(DISTINCT envelope->'data'->>'itemId') FROM outbox_messages WHERE tenant_id = @t AND event_type = 'cms.content.published'", ("t", tenant.Id)));
        Assert.Equal(0L, await stack.CmsScalarAsync<long>("SELECT count(*) FROM content_items WHERE tenant_id = @t AND publish_at IS NOT NULL", ("t", tenant.Id)));
        var one = await tenant.Admin.GetJsonAsync($"/api/v1/cms/items/{ids[0]}");
        Assert.Equal("published", one.Str("status"));
        Assert.True(one.GetProperty("publishedAt").GetDateTimeOffset() >= at);
    }

    [Fact]
    public async Task Firings_racing_for_one_due_item_publish_it_once()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        var item = await tenant.Admin.CreateItemAsync("article", "race", new { title = "Race" });
        await stack.CmsScalarAsync<int>("UPDATE content_items SET publish_at = now() - interval '1 second' WHERE id = @id RETURNING 1", ("id", item.Id()));

        // Eight firings at once, beside the running scheduler's own.
        var firings = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            await using var scope = stack.Cms.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenant.Id);
            return await scope.ServiceProvider.GetRequiredService<ContentItemService>().FireScheduledAsync(item.Id(), TestContext.Current.CancellationToken);
        }));
        await Task.Delay(300, TestContext.Current.CancellationToken);

        Assert.True(firings.Count(fired => fired) <= 1);
        Assert.Equal(1L, await stack.CmsScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE tenant_id = @t AND event_type = 'cms.content.published'", ("t", tenant.Id)));
        Assert.Equal("published", (await tenant.Admin.GetJsonAsync($"/api/v1/cms/items/{item.Id()}")).Str("status"));
    }

    [Fact]
    public async Task An_embargoed_item_goes_live_and_comes_down_on_schedule()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        var item = await tenant.Admin.CreateItemAsync("article", "campaign", new { title = "Campaign" });
        var path = $"/api/v1/cms/items/{item.Id()}";
        var start = DateTimeOffset.UtcNow.AddSeconds(1);

        using var downFirst = await tenant.Admin.PostAsJsonAsync($"{path}/unpublish", new { at = start.AddSeconds(5) });
        await tenant.Admin.PostAsync($"{path}/publish", new { at = start });
        using var beforeStart = await tenant.Admin.PostAsJsonAsync($"{path}/unpublish", new { at = start.AddSeconds(-0.5) });
        var planned = await tenant.Admin.PostAsync($"{path}/unpublish", new { at = start.AddSeconds(2) });

        await downFirst.AssertProblemAsync(HttpStatusCode.Conflict, "invalid_transition");
        await beforeStart.AssertProblemAsync(HttpStatusCode.Conflict, "invalid_transition");
        Assert.NotEqual(JsonValueKind.Null, planned.GetProperty("unpublishAt").ValueKind);
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            (await tenant.Admin.GetJsonAsync($"/api/v1/cms/delivery/article")).GetProperty("items").GetArrayLength() == 1, TimeSpan.FromSeconds(10)), "never went live");
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            (await tenant.Admin.GetJsonAsync($"/api/v1/cms/delivery/article")).GetProperty("items").GetArrayLength() == 0, TimeSpan.FromSeconds(10)), "never came down");
        var types = await stack.CmsScalarAsync<string>(
            "SELECT string_agg(event_type || ':' || coalesce(envelope->'data'->>'change', ''), ',' ORDER BY sequence) FROM outbox_messages WHERE tenant_id = @t", ("t", tenant.Id));
        Assert.Equal("cms.content.created:,cms.content.updated:publish_scheduled,cms.content.updated:unpublish_scheduled,cms.content.published:,cms.content.unpublished:", types);
    }

    [Fact]
    public async Task An_edit_a_rejection_or_a_cancel_drops_a_scheduled_publication()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType(requiresReview: true));
        var item = await tenant.Admin.CreateItemAsync("article", "r", new { title = "Reviewed" });
        var path = $"/api/v1/cms/items/{item.Id()}";
        var later = DateTimeOffset.UtcNow.AddHours(1);

        await tenant.Admin.PostAsync($"{path}/submit");
        var approved = await tenant.Admin.PostAsync($"{path}/approve", new { at = later });
        var edited = await tenant.Admin.PutAsync(path, new { slug = "r", data = new { title = "Changed after approval" } });
        await tenant.Admin.PostAsync($"{path}/submit");
        await tenant.Admin.PostAsync($"{path}/approve", new { at = later });
        var rejected = await tenant.Admin.PostAsync($"{path}/reject");
        await tenant.Admin.PostAsync($"{path}/submit");
        await tenant.Admin.PostAsync($"{path}/approve", new { at = later });
        using var cancel = await tenant.Admin.DeleteAsync($"{path}/schedule");
        var cancelled = await cancel.ReadAsync<JsonElement>();
        using var again = await tenant.Admin.DeleteAsync($"{path}/schedule");
        using var tooFar = await tenant.Admin.PostAsJsonAsync($"{path}/approve", new { at = DateTimeOffset.UtcNow.AddYears(6) });

        Assert.Equal("in_review", approved.Str("status"));
        Assert.Equal(later, approved.GetProperty("publishAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, edited.GetProperty("publishAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, rejected.GetProperty("publishAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, cancelled.GetProperty("publishAt").ValueKind);
        Assert.Equal("in_review", cancelled.Str("status"));
        await again.AssertProblemAsync(HttpStatusCode.Conflict, "nothing_scheduled");
        (await tooFar.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("at");
    }
}
