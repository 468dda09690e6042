using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Codex.Cms.Tests;

/// <summary>The page tree, content checked against its template, and the public route: published pages only, cached, evicted on publish.</summary>
public sealed class PageTests(CmsStack stack) : IClassFixture<CmsStack>
{
    private static readonly object Landing = new
    {
        slug = "landing",
        name = "Landing page",
        fields = new object[]
        {
            new { name = "hero", kind = "text", required = true },
            new { name = "blocks", kind = "component", fields = new object[] { new { name = "heading", kind = "text", required = true }, new { name = "body", kind = "richText" } } },
        },
    };

    private static object Page(string slug, string hero, Guid? parentId = null, int? position = null) =>
        new { slug, title = $"Page {slug}", template = "landing", content = new { hero }, parentId, position, seoTitle = $"SEO {slug}", seoKeywords = new[] { "codex" } };

    [Fact]
    public async Task Pages_form_a_tree_and_moving_one_moves_its_subtree()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(Landing);
        var about = await tenant.Admin.PostAsync("/api/v1/cms/pages", Page("about", "About"));
        var team = await tenant.Admin.PostAsync("/api/v1/cms/pages", Page("team", "Team", about.Id()));
        var people = await tenant.Admin.PostAsync("/api/v1/cms/pages", Page("people", "People", team.Id()));
        var company = await tenant.Admin.PostAsync("/api/v1/cms/pages", Page("company", "Company"));
        var first = await tenant.Admin.PostAsync("/api/v1/cms/pages", Page("first", "First", position: 0));

        using var twice = await tenant.Admin.PostAsJsonAsync("/api/v1/cms/pages", Page("team", "Again", about.Id()));
        using var underItself = await tenant.Admin.PutAsJsonAsync($"/api/v1/cms/pages/{about.Id()}", Page("about", "About", people.Id()));
        var moved = await tenant.Admin.PutAsync($"/api/v1/cms/pages/{team.Id()}", Page("our-team", "Team", company.Id()));
        var movedChild = await tenant.Admin.GetJsonAsync($"/api/v1/cms/pages/{people.Id()}");
        using var withChildren = await tenant.Admin.DeleteAsync($"/api/v1/cms/pages/{company.Id()}");
        var tree = await tenant.Admin.GetJsonAsync("/api/v1/cms/pages");

        Assert.Equal("about/team/people", people.Str("path"));
        await twice.AssertProblemAsync(HttpStatusCode.Conflict, "duplicate_path");
        (await underItself.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("parentId");
        Assert.Equal("company/our-team", moved.Str("path"));
        Assert.Equal("company/our-team/people", movedChild.Str("path"));
        await withChildren.AssertProblemAsync(HttpStatusCode.Conflict, "page_has_children");
        // Roots by position, then slug: about (0), first (0, placed there), company (1).
        Assert.Equal(["about", "first", "company"], tree.EnumerateArray().Select(n => n.Str("slug")));
        var companyNode = tree.EnumerateArray().Single(n => n.Str("slug") == "company");
        Assert.Equal("company/our-team/people", companyNode.GetProperty("children")[0].GetProperty("children")[0].Str("path"));
        Assert.Equal(0, first.GetProperty("position").GetInt32());
    }

    [Fact]
    public async Task Content_is_validated_against_the_template_and_nothing_is_written()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(Landing);

        using var badBlock = await tenant.Admin.PostAsJsonAsync("/api/v1/cms/pages",
            new { slug = "x", title = "X", template = "landing", content = new { hero = "H", blocks = new[] { new { body = "<p>no heading</p>" } } } });
        using var noTemplate = await tenant.Admin.PostAsJsonAsync("/api/v1/cms/pages", new { slug = "x", title = "X", template = "ghost", content = new { hero = "H" } });
        using var badSlug = await tenant.Admin.PostAsJsonAsync("/api/v1/cms/pages", new { slug = "a/b", title = "X", template = "landing", content = new { hero = "H" } });

        (await badBlock.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("content.blocks[0].heading");
        (await noTemplate.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("template");
        (await badSlug.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("slug");
        Assert.Equal(0, await stack.CountAsync("pages", tenant.Id));
    }

    [Fact]
    public async Task The_public_route_serves_published_pages_to_anyone_from_the_cache_until_the_next_publish()
    {
        var tenant = await stack.CreateTenantAsync();
        var other = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(Landing);
        var about = await tenant.Admin.PostAsync("/api/v1/cms/pages", Page("about", "Hello"));
        var team = await tenant.Admin.PostAsync("/api/v1/cms/pages", Page("team", "Team", about.Id()));
        using var anyone = stack.GatewayClient();
        var url = $"/api/v1/cms/public/{tenant.Id}/pages/about/team";

        using var unpublished = await anyone.GetAsync(url);
        await tenant.Admin.PostAsync($"/api/v1/cms/pages/{team.Id()}/publish");
        using var first = await anyone.GetAsync(url);
        var page = await first.ReadAsync<JsonElement>();
        // Written behind the service's back: a cached page does not see it.
        await stack.CmsScalarAsync<int>("UPDATE pages SET published_content = '{\"hero\":\"Sneaked\"}' WHERE id = @id RETURNING 1", ("id", team.Id()));
        var cached = await anyone.GetJsonAsync(url);
        await tenant.Admin.PutAsync($"/api/v1/cms/pages/{team.Id()}", Page("team", "Team v2", about.Id()));
        var beforeRepublish = await anyone.GetJsonAsync(url);
        await tenant.Admin.PostAsync($"/api/v1/cms/pages/{team.Id()}/publish");
        var after = await anyone.GetJsonAsync(url);
        using var otherTenant = await anyone.GetAsync($"/api/v1/cms/public/{other.Id}/pages/about/team");
        using var parent = await anyone.GetAsync($"/api/v1/cms/public/{tenant.Id}/pages/about");
        await tenant.Admin.PostAsync($"/api/v1/cms/pages/{team.Id()}/unpublish");
        using var gone = await anyone.GetAsync(url);

        await unpublished.AssertProblemAsync(HttpStatusCode.NotFound, "page_not_found");
        Assert.Equal("public, max-age=30", first.Headers.CacheControl?.ToString());
        Assert.Equal("about/team", page.Str("path"));
        Assert.Equal("landing", page.Str("template"));
        Assert.Equal("Team", page.GetProperty("content").Str("hero"));
        Assert.Equal("SEO team", page.GetProperty("seo").Str("title"));
        Assert.Equal("Team", cached.GetProperty("content").Str("hero"));
        Assert.Equal("Team", beforeRepublish.GetProperty("content").Str("hero"));
        Assert.Equal("Team v2", after.GetProperty("content").Str("hero"));
        Assert.Equal(2, after.GetProperty("version").GetInt32());
        await otherTenant.AssertProblemAsync(HttpStatusCode.NotFound, "page_not_found");
        await parent.AssertProblemAsync(HttpStatusCode.NotFound, "page_not_found");
        await gone.AssertProblemAsync(HttpStatusCode.NotFound, "page_not_found");
    }

    [Fact]
    public async Task Another_tenants_pages_are_404s_and_the_admin_routes_need_a_caller()
    {
        var owner = await stack.CreateTenantAsync();
        var other = await stack.CreateTenantAsync();
        await owner.Admin.CreateTypeAsync(Landing);
        await other.Admin.CreateTypeAsync(Landing);
        var page = await owner.Admin.PostAsync("/api/v1/cms/pages", Page("home", "Home"));
        var path = $"/api/v1/cms/pages/{page.Id()}";

        using var get = await other.Admin.GetAsync(path);
        using var put = await other.Admin.PutAsJsonAsync(path, Page("home", "Mine"));
        using var publish = await other.Admin.PostAsJsonAsync($"{path}/publish", new { });
        using var unpublish = await other.Admin.PostAsJsonAsync($"{path}/unpublish", new { });
        using var delete = await other.Admin.DeleteAsync(path);
        using var asParent = await other.Admin.PostAsJsonAsync("/api/v1/cms/pages", Page("child", "Child", page.Id()));
        var tree = await other.Admin.GetJsonAsync("/api/v1/cms/pages");
        using var anonymous = await stack.GatewayClient().GetAsync("/api/v1/cms/pages");

        foreach (var response in new[] { get, put, publish, unpublish, delete, asParent })
        {
            await response.AssertProblemAsync(HttpStatusCode.NotFound, "page_not_found");
        }
        Assert.Empty(tree.EnumerateArray());
        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Home", (await owner.Admin.GetJsonAsync(path)).GetProperty("content").Str("hero"));
    }
}
