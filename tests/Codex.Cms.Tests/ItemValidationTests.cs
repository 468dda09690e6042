using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Codex.Cms.Tests;

/// <summary>Every write is validated against the type: bad input per field kind is a 400 naming the field, and nothing is written.</summary>
public sealed class ItemValidationTests(CmsStack stack) : IClassFixture<CmsStack>
{
    public static TheoryData<string, string, string> BadData => new()
    {
        { "missing required", """{"code":"ABC-1"}""", "data.title" },
        { "empty required text", """{"title":""}""", "data.title" },
        { "text too long", $$"""{"title":"{{new string('x', 121)}}"}""", "data.title" },
        { "text not a string", """{"title":42}""", "data.title" },
        { "pattern", """{"title":"T","code":"abc-1"}""", "data.code" },
        { "rich text not a string", """{"title":"T","body":{"html":"x"}}""", "data.body" },
        { "number above max", """{"title":"T","rating":6}""", "data.rating" },
        { "number as text", """{"title":"T","rating":"5"}""", "data.rating" },
        { "boolean as text", """{"title":"T","featured":"yes"}""", "data.featured" },
        { "date", """{"title":"T","publishOn":"2026-13-40"}""", "data.publishOn" },
        { "date in words", """{"title":"T","publishOn":"yesterday"}""", "data.publishOn" },
        { "enum", """{"title":"T","tone":"satire"}""", "data.tone" },
        { "media not a uuid", """{"title":"T","cover":"cover.png"}""", "data.cover" },
        { "reference not a uuid", """{"title":"T","related":"first"}""", "data.related" },
        { "reference to nothing", $$"""{"title":"T","related":"{{Guid.NewGuid()}}"}""", "data.related" },
        { "component not a list", """{"title":"T","sections":{"heading":"H"}}""", "data.sections" },
        { "component entry", """{"title":"T","sections":[{"heading":"H"},{}]}""", "data.sections[1].heading" },
        { "component too many", """{"title":"T","sections":[{"heading":"1"},{"heading":"2"},{"heading":"3"},{"heading":"4"}]}""", "data.sections" },
        { "component unknown field", """{"title":"T","sections":[{"heading":"H","colour":"red"}]}""", "data.sections[0].colour" },
        { "unknown field", """{"title":"T","subtitle":"S"}""", "data.subtitle" },
        { "data not an object", """["T"]""", "data" },
    };

    [Theory]
    [MemberData(nameof(BadData))]
    public async Task Bad_data_is_a_400_naming_the_field_and_nothing_is_written(string why, string data, string field)
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());

        using var body = new StringContent($$"""{"type":"article","slug":"bad","data":{{data}}}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await tenant.Admin.PostAsync("/api/v1/cms/items", body);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{why}: {problem}");
        Assert.Equal(0, await stack.CountAsync("content_items", tenant.Id));
        Assert.Equal(0, await stack.CountAsync("content_item_revisions", tenant.Id));
        Assert.Equal(0, await stack.CountAsync("outbox_messages", tenant.Id));
    }

    [Fact]
    public async Task Every_kind_takes_a_good_value_and_rich_text_is_sanitised()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        var first = await tenant.Admin.CreateItemAsync("article", "first", new { title = "First" });
        var cover = await tenant.Admin.UploadAsync(MediaFiles.Png(40, 20), "cover.png");

        var item = await tenant.Admin.CreateItemAsync("article", "second", new
        {
            title = "Second",
            code = "ABC-12",
            body = """<p onclick="steal()">Hello <script>alert(1)</script><a href="javascript:alert(2)">link</a></p>""",
            rating = 4.5,
            featured = true,
            publishOn = "2026-12-24",
            tone = "news",
            cover = cover.Id(),
            related = first.Id(),
            sections = new[] { new { heading = "One" } },
            extra = new { anything = new[] { 1, 2 } },
        });
        var data = item.GetProperty("data");
        var body = data.Str("body");

        Assert.Equal("draft", item.Str("status"));
        Assert.Equal(1, item.GetProperty("version").GetInt32());
        Assert.Contains("Hello", body);
        Assert.DoesNotContain("script", body);
        Assert.DoesNotContain("onclick", body);
        Assert.DoesNotContain("javascript:", body);
        Assert.Equal(first.Id(), data.GetProperty("related").GetGuid());
        Assert.Equal(cover.Id(), data.GetProperty("cover").GetGuid());
        Assert.Equal(2, data.GetProperty("extra").GetProperty("anything").GetArrayLength());
    }

    [Fact]
    public async Task A_reference_to_an_item_of_another_type_is_refused()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        await tenant.Admin.CreateTypeAsync(new { slug = "author", name = "Author", fields = new[] { new { name = "name", kind = "text" } } });
        var author = await tenant.Admin.CreateItemAsync("author", "ada", new { name = "Ada" });

        using var response = await tenant.Admin.PostAsJsonAsync("/api/v1/cms/items", new { type = "article", slug = "x", data = new { title = "X", related = author.Id() } });

        Assert.Contains("'author'", (await response.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("data.related")[0].GetString());
    }

    [Fact]
    public async Task Slugs_are_unique_per_type_and_checked()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType("page"));
        await tenant.Admin.CreateItemAsync("article", "home", new { title = "A" });

        using var twice = await tenant.Admin.PostAsJsonAsync("/api/v1/cms/items", new { type = "article", slug = "home", data = new { title = "B" } });
        using var badSlug = await tenant.Admin.PostAsJsonAsync("/api/v1/cms/items", new { type = "article", slug = "Home Page", data = new { title = "B" } });
        using var noType = await tenant.Admin.PostAsJsonAsync("/api/v1/cms/items", new { type = "ghost", slug = "home", data = new { title = "B" } });
        var otherType = await tenant.Admin.CreateItemAsync("page", "home", new { title = "C" });

        await twice.AssertProblemAsync(HttpStatusCode.Conflict, "duplicate_slug");
        (await badSlug.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("slug");
        await noType.AssertProblemAsync(HttpStatusCode.NotFound, "content_type_not_found");
        Assert.Equal("home", otherType.Str("slug"));
        Assert.Equal(2, await stack.CountAsync("content_items", tenant.Id));
    }
}
