using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Codex.Auth.Contracts;

namespace Codex.Cms.Tests;

/// <summary>Published content as a site reads it with a <c>cms.read</c> key: filters, sorting, field selection and cursor paging; drafts only in preview.</summary>
public sealed class DeliveryTests(CmsStack stack) : IClassFixture<CmsStack>
{
    [Fact]
    public async Task A_read_key_lists_published_items_filtered_sorted_trimmed_and_paged()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        var ratings = new[] { 3.5, 1, 4, 2, 5, 4.5 };
        for (var n = 0; n < ratings.Length; n++)
        {
            var item = await tenant.Admin.CreateItemAsync("article", $"a{n}", new { title = $"Article {n}", rating = ratings[n], tone = n % 2 == 0 ? "news" : "opinion" });
            await tenant.Admin.PostAsync($"/api/v1/cms/items/{item.Id()}/publish");
        }
        await tenant.Admin.CreateItemAsync("article", "draft", new { title = "Draft", rating = 5, tone = "news" });
        using var reader = stack.GatewayClient(key: await tenant.NewKeyAsync("cms.read"));

        var first = await reader.GetJsonAsync("/api/v1/cms/delivery/article?filter[rating][gte]=2&sort=-rating&fields=title,rating&limit=2");
        var second = await reader.GetJsonAsync($"/api/v1/cms/delivery/article?filter[rating][gte]=2&sort=-rating&fields=title,rating&limit=2&cursor={first.Str("nextCursor")}");
        var third = await reader.GetJsonAsync($"/api/v1/cms/delivery/article?filter[rating][gte]=2&sort=-rating&fields=title,rating&limit=2&cursor={second.Str("nextCursor")}");
        var news = await reader.GetJsonAsync("/api/v1/cms/delivery/article?filter[tone]=news&filter[title][contains]=article&sort=slug");
        var one = await reader.GetJsonAsync("/api/v1/cms/delivery/article/a4");
        using var draft = await reader.GetAsync("/api/v1/cms/delivery/article/draft");
        using var preview = await reader.GetAsync("/api/v1/cms/preview/article");
        using var write = await reader.PostAsJsonAsync("/api/v1/cms/items", new { type = "article", slug = "x", data = new { title = "X" } });

        double[] Ratings(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("data").GetProperty("rating").GetDouble())];
        Assert.Equal([5, 4.5], Ratings(first));
        Assert.Equal([4, 3.5], Ratings(second));
        Assert.Equal([2], Ratings(third));
        Assert.Equal(JsonValueKind.Null, third.GetProperty("nextCursor").ValueKind);
        Assert.Equal(["rating", "title"], first.GetProperty("items")[0].GetProperty("data").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(["a0", "a2", "a4"], news.GetProperty("items").EnumerateArray().Select(i => i.Str("slug")));
        Assert.Equal("Article 4", one.GetProperty("data").Str("title"));
        Assert.Equal("published", one.Str("status"));
        await draft.AssertProblemAsync(HttpStatusCode.NotFound, "content_item_not_found");
        await preview.AssertProblemAsync(HttpStatusCode.Forbidden);
        await write.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Readers_see_the_published_copy_and_previewers_the_working_copy()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        var item = await tenant.Admin.CreateItemAsync("article", "live", new { title = "Published words" });
        await tenant.Admin.PostAsync($"/api/v1/cms/items/{item.Id()}/publish");
        await tenant.Admin.PutAsync($"/api/v1/cms/items/{item.Id()}", new { slug = "live", data = new { title = "Draft words" } });
        await tenant.Admin.CreateItemAsync("article", "new", new { title = "Never published" });
        using var reader = stack.GatewayClient(key: await tenant.NewKeyAsync("cms.read"));

        var delivered = await reader.GetJsonAsync("/api/v1/cms/delivery/article/live");
        var previewed = await tenant.Admin.GetJsonAsync("/api/v1/cms/preview/article/live");
        var previewList = await tenant.Admin.GetJsonAsync("/api/v1/cms/preview/article?sort=slug");

        Assert.Equal("Published words", delivered.GetProperty("data").Str("title"));
        Assert.Equal(1, delivered.GetProperty("version").GetInt32());
        Assert.Equal("Draft words", previewed.GetProperty("data").Str("title"));
        Assert.Equal(2, previewed.GetProperty("version").GetInt32());
        Assert.Equal(["live", "new"], previewList.GetProperty("items").EnumerateArray().Select(i => i.Str("slug")));
    }

    [Fact]
    public async Task A_read_key_never_reaches_working_copies_through_the_editorial_apis()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        var item = await tenant.Admin.CreateItemAsync("article", "secret-draft", new { title = "Not yet" });
        using var reader = stack.GatewayClient(key: await tenant.NewKeyAsync("cms.read"));

        foreach (var path in new[] { "/api/v1/cms/items", $"/api/v1/cms/items/{item.Id()}", $"/api/v1/cms/items/{item.Id()}/versions", $"/api/v1/cms/items/{item.Id()}/versions/1", "/api/v1/cms/pages" })
        {
            using var response = await reader.GetAsync(path);
            await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        }
        // The content model itself is no secret: a site may read its types' schemas.
        using var schema = await reader.GetAsync("/api/v1/cms/types/article/schema");
        Assert.Equal(HttpStatusCode.OK, schema.StatusCode);
    }

    public static TheoryData<string, string> BadQueries => new()
    {
        { "filter[body]=x", "filter[body]" },                  // rich text is not filterable
        { "filter[ghost]=x", "filter[ghost]" },
        { "filter[rating]=high", "filter[rating]" },
        { "filter[rating][like]=1", "filter[rating][like]" },
        { "filter[tone][gt]=news", "filter[tone][gt]" },
        { "filter[tone]=satire", "filter[tone]" },
        { "filter[publishOn]=2026-02-30", "filter[publishOn]" },
        { "sort=sections", "sort" },
        { "fields=title,ghost", "fields" },
        { "limit=0", "limit" },
        { "limit=101", "limit" },
        { "cursor=bogus", "cursor" },
        { "page=2", "page" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task A_bad_query_is_a_400_naming_the_parameter(string query, string parameter)
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());

        using var response = await tenant.Admin.GetAsync($"/api/v1/cms/delivery/article?{query}");

        Assert.True((await response.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty(parameter, out _), query);
    }

    [Fact]
    public async Task A_cursor_is_bound_to_its_sort_and_another_tenants_type_is_a_404()
    {
        var tenant = await stack.CreateTenantAsync();
        var other = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        foreach (var slug in new[] { "a", "b" })
        {
            var item = await tenant.Admin.CreateItemAsync("article", slug, new { title = slug });
            await tenant.Admin.PostAsync($"/api/v1/cms/items/{item.Id()}/publish");
        }
        var page = await tenant.Admin.GetJsonAsync("/api/v1/cms/delivery/article?sort=slug&limit=1");

        using var otherSort = await tenant.Admin.GetAsync($"/api/v1/cms/delivery/article?sort=-slug&limit=1&cursor={page.Str("nextCursor")}");
        using var theirs = await other.Admin.GetAsync("/api/v1/cms/delivery/article");
        using var theirItem = await other.Admin.GetAsync("/api/v1/cms/delivery/article/a");

        (await otherSort.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("cursor");
        await theirs.AssertProblemAsync(HttpStatusCode.NotFound, "content_type_not_found");
        await theirItem.AssertProblemAsync(HttpStatusCode.NotFound, "content_type_not_found");
    }
}
