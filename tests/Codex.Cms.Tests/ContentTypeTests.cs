using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Codex.Cms.Tests;

public sealed class ContentTypeTests(CmsStack stack) : IClassFixture<CmsStack>
{
    [Fact]
    public async Task A_type_with_every_field_kind_is_created_and_served_as_a_json_schema()
    {
        var tenant = await stack.CreateTenantAsync();

        var type = await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        var schema = await tenant.Admin.GetJsonAsync("/api/v1/cms/types/article/schema");

        Assert.Equal("article", type.Str("slug"));
        Assert.Equal(1, type.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(11, type.GetProperty("fields").GetArrayLength());
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.Str("$schema"));
        Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(["title"], schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        var properties = schema.GetProperty("properties");
        Assert.Equal(120, properties.GetProperty("title").GetProperty("maxLength").GetInt32());
        Assert.Equal("^[A-Z]{3}-[0-9]+$", properties.GetProperty("code").Str("pattern"));
        Assert.Equal("date", properties.GetProperty("publishOn").Str("format"));
        Assert.Equal("array", properties.GetProperty("sections").GetProperty("type")[0].GetString());
        Assert.Equal("heading", properties.GetProperty("sections").GetProperty("items").GetProperty("required")[0].GetString());
        Assert.Equal("article", properties.GetProperty("related").Str("x-codex-reference-type"));
    }

    [Fact]
    public async Task A_slug_is_unique_per_tenant_only()
    {
        var a = await stack.CreateTenantAsync();
        var b = await stack.CreateTenantAsync();
        await a.Admin.CreateTypeAsync(CmsCalls.ArticleType());

        using var again = await a.Admin.PostAsJsonAsync("/api/v1/cms/types", CmsCalls.ArticleType());
        await again.AssertProblemAsync(HttpStatusCode.Conflict, "duplicate_slug");
        var theirs = await b.Admin.CreateTypeAsync(CmsCalls.ArticleType());

        Assert.Equal("article", theirs.Str("slug"));
        Assert.Equal(1, await stack.CountAsync("content_types", a.Id));
    }

    public static TheoryData<string, object, string> BadDefinitions => new()
    {
        { "bad slug", new { slug = "Not A Slug", name = "X", fields = new[] { new { name = "title", kind = "text" } } }, "slug" },
        { "no fields", new { slug = "x", name = "X", fields = Array.Empty<object>() }, "fields" },
        { "bad name", new { slug = "x", name = "X", fields = new[] { new { name = "1st", kind = "text" } } }, "fields[0].name" },
        { "twice", new { slug = "x", name = "X", fields = new[] { new { name = "title", kind = "text" }, new { name = "Title", kind = "text" } } }, "fields[1].name" },
        { "unknown kind", new { slug = "x", name = "X", fields = new[] { new { name = "title", kind = "string" } } }, "fields[0].kind" },
        { "min above max", new { slug = "x", name = "X", fields = new[] { new { name = "n", kind = "number", min = 5, max = 1 } } }, "fields[0].max" },
        { "bounds on a boolean", new { slug = "x", name = "X", fields = new[] { new { name = "b", kind = "boolean", max = 1 } } }, "fields[0].min" },
        { "broken pattern", new { slug = "x", name = "X", fields = new[] { new { name = "t", kind = "text", pattern = "([a-z" } } }, "fields[0].pattern" },
        { "pattern on a number", new { slug = "x", name = "X", fields = new[] { new { name = "n", kind = "number", pattern = "[0-9]" } } }, "fields[0].pattern" },
        { "enum without values", new { slug = "x", name = "X", fields = new[] { new { name = "e", kind = "enum" } } }, "fields[0].values" },
        { "values on text", new { slug = "x", name = "X", fields = new[] { new { name = "t", kind = "text", values = new[] { "a" } } } }, "fields[0].values" },
        { "empty component", new { slug = "x", name = "X", fields = new[] { new { name = "c", kind = "component" } } }, "fields[0].fields" },
        { "bad component field", new { slug = "x", name = "X", fields = new[] { new { name = "c", kind = "component", fields = new[] { new { name = "h", kind = "nope" } } } } }, "fields[0].fields[0].kind" },
        { "reference to nothing", new { slug = "x", name = "X", fields = new[] { new { name = "r", kind = "reference", referenceType = "ghost" } } }, "fields[0].referenceType" },
    };

    [Theory]
    [MemberData(nameof(BadDefinitions))]
    public async Task A_bad_definition_is_a_400_naming_the_field_and_nothing_is_written(string why, object body, string field)
    {
        var tenant = await stack.CreateTenantAsync();

        using var response = await tenant.Admin.PostAsJsonAsync("/api/v1/cms/types", body);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{why}: {problem}");
        Assert.Equal(0, await stack.CountAsync("content_types", tenant.Id));
    }

    [Fact]
    public async Task A_type_in_use_is_not_deleted_and_an_unused_one_is()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        await tenant.Admin.CreateTypeAsync(new { slug = "note", name = "Note", fields = new[] { new { name = "text", kind = "text" } } });
        await tenant.Admin.CreateItemAsync("article", "first", new { title = "First" });

        using var inUse = await tenant.Admin.DeleteAsync("/api/v1/cms/types/article");
        using var unused = await tenant.Admin.DeleteAsync("/api/v1/cms/types/note");
        using var gone = await tenant.Admin.GetAsync("/api/v1/cms/types/note");

        await inUse.AssertProblemAsync(HttpStatusCode.Conflict, "content_type_in_use");
        Assert.Equal(HttpStatusCode.NoContent, unused.StatusCode);
        await gone.AssertProblemAsync(HttpStatusCode.NotFound, "content_type_not_found");
        Assert.Equal(1, await stack.CountAsync("content_types", tenant.Id));
    }
}
