using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Codex.Auth.Contracts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Codex.Web.Tests.Browser;

/// <summary>The content pages against a real CMS: one editorial flow, from a new type to what a site reads.</summary>
public sealed class ContentEditorTests(CmsWebStack stack) : IClassFixture<CmsWebStack>
{
    private const string ArticleFields = """
        [{"name":"title","kind":"text","required":true,"max":120},
         {"name":"rating","kind":"number","min":0,"max":5},
         {"name":"tone","kind":"enum","values":["news","opinion"]},
         {"name":"featured","kind":"boolean"},
         {"name":"body","kind":"richText"}]
        """;

    [Fact]
    public async Task An_editor_defines_a_type_writes_a_draft_fixes_a_bad_field_compares_versions_and_publishes_it()
    {
        var tenant = await stack.CreateTenantAsync();
        await using var session = await SignedInAsync(tenant);
        var page = session.Page;

        await page.GetByRole(AriaRole.Link, new() { Name = "Content", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Content");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Article");
        await page.GetByLabel("Slug").FillAsync("article");
        await page.GetByLabel("Fields").FillAsync(ArticleFields);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create type" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Article", Exact = true })).ToBeVisibleAsync();
        await session.ScreenshotAsync("content-types");

        // The form is generated from the type: one control per field, of the field's kind.
        await page.GetByRole(AriaRole.Link, new() { Name = "Article", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Article");
        await page.GetByLabel("Slug").FillAsync("hello");
        await page.GetByLabel("title").FillAsync("Hello");
        await page.GetByLabel("rating").FillAsync("4");
        await page.GetByLabel("tone").SelectOptionAsync("news");
        await page.GetByLabel("featured").CheckAsync();
        await page.GetByLabel("body").FillAsync("<p>First words</p>");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await Expect(page.GetByText("The draft is created.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("hello");
        var itemUrl = page.Url;

        // A number that is not one: CMS names the field, nothing is saved, and the form keeps what was typed.
        await page.GetByLabel("rating").FillAsync("lots");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save version" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("rating");
        await Expect(page.GetByLabel("rating")).ToHaveValueAsync("lots");
        await page.GetByLabel("rating").FillAsync("5");
        await page.GetByLabel("title").FillAsync("Hello world");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save version" }).ClickAsync();
        await Expect(page.GetByText("Saved.", new() { Exact = true })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Compare version 2 with 1" }).ClickAsync();
        var changes = page.GetByRole(AriaRole.Table, new() { Name = "Changes from version 1 to 2" });
        await Expect(changes).ToContainTextAsync("Hello world");
        await Expect(changes.GetByRole(AriaRole.Row)).ToHaveCountAsync(3);   // header, title, rating
        await session.ScreenshotAsync("content-item-diff");

        await page.GetByRole(AriaRole.Button, new() { Name = "Publish now" }).ClickAsync();
        await Expect(page.GetByText("Done: the item is published.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Unpublish" })).ToBeVisibleAsync();
        await session.ScreenshotAsync("content-item-published");

        // What a site reads with a cms.read key is the published version 2.
        using var reader = stack.GatewayClient(key: await tenant.NewKeyAsync("cms.read"));
        var delivered = await reader.GetFromJsonAsync<JsonElement>("/api/v1/cms/delivery/article/hello", Xunit.TestContext.Current.CancellationToken);
        Assert.Equal("Hello world", delivered.GetProperty("data").GetProperty("title").GetString());
        Assert.Equal(5, delivered.GetProperty("data").GetProperty("rating").GetInt32());
        Assert.True(delivered.GetProperty("data").GetProperty("featured").GetBoolean());
        Assert.Equal(2, delivered.GetProperty("version").GetInt32());

        await page.GotoAsync(itemUrl);
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "edited" })).ToHaveCountAsync(1);

        // A new required field would leave the live item invalid: refused, and the type keeps its fields.
        await page.GotoAsync("/content/article");
        var fields = page.GetByLabel("Fields");
        await fields.FillAsync((await fields.InputValueAsync()).TrimEnd().TrimEnd(']') + ",{\"name\":\"summary\",\"kind\":\"text\",\"required\":true}]");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save type" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("1 items or pages invalid");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("hello: data.summary");
        using (var type = await tenant.Admin.GetAsync("/api/v1/cms/types/article"))
        {
            Assert.DoesNotContain("summary", await type.Content.ReadAsStringAsync());
        }

        // French is added to the tenant's locales, and the article gets a French variant of its own.
        await page.GotoAsync("/content");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Locales", Exact = true }).FillAsync("en\nfr > en");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save locales" }).ClickAsync();
        await Expect(page.GetByText("The locales are saved.")).ToBeVisibleAsync();
        await page.GotoAsync(itemUrl);
        await page.GetByLabel("Translate into").SelectOptionAsync("fr");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add locale" }).ClickAsync();
        await Expect(page.GetByText("The draft is created.")).ToBeVisibleAsync();
        await Expect(page.Locator("dd").Filter(new() { HasText = "fr" }).First).ToBeVisibleAsync();
        await Expect(page.GetByLabel("title")).ToHaveValueAsync("Hello world");
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task An_editor_uploads_an_image_gives_it_alt_text_uses_it_as_a_cover_and_cannot_delete_it_while_used()
    {
        var tenant = await stack.CreateTenantAsync();
        await CreateTypeAsync(tenant, new
        {
            slug = "story", name = "Story",
            fields = new object[] { new { name = "title", kind = "text", required = true }, new { name = "cover", kind = "media" } },
        });
        await using var session = await SignedInAsync(tenant);
        var page = session.Page;

        await page.GetByRole(AriaRole.Link, new() { Name = "Media", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Media");
        await page.GetByLabel("File").SetInputFilesAsync(new FilePayload { Name = "harbour.png", MimeType = "image/png", Buffer = Png(640, 480) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await Expect(page.GetByText("harbour.png is uploaded.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "image/png 640×480" })).ToBeVisibleAsync();
        // The thumbnail comes through the console, as the signed-in user, and is a real image.
        var thumbnail = page.Locator("td img").First;
        await Expect(thumbnail).ToBeVisibleAsync();
        Assert.True(await thumbnail.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0") > 0);

        await page.GetByLabel("Alt text of harbour.png").FillAsync("Boats in a harbour at dawn");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the words of harbour.png" }).ClickAsync();
        await Expect(page.GetByText("The words of harbour.png are saved.")).ToBeVisibleAsync();
        await Expect(page.GetByAltText("Boats in a harbour at dawn")).ToBeVisibleAsync();
        await session.ScreenshotAsync("media");

        await page.GotoAsync("/content/story");
        await page.GetByLabel("Slug").FillAsync("harbour");
        await page.GetByLabel("title").FillAsync("The harbour");
        await page.GetByLabel("cover").SelectOptionAsync(new SelectOptionValue { Label = "harbour.png" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await Expect(page.GetByText("The draft is created.")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("cover")).ToHaveValueAsync(new Regex("^[0-9a-f-]{36}$"));

        // Scheduled rather than published now: the item says when.
        var tomorrow = DateTime.UtcNow.AddDays(1);
        await page.GetByLabel("At (UTC)").FillAsync(tomorrow.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule publication" }).ClickAsync();
        await Expect(page.GetByText(new Regex("^Scheduled for "))).ToBeVisibleAsync();
        await Expect(page.GetByText("Publishes at")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel schedule" })).ToBeVisibleAsync();

        await page.GotoAsync("/media");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete harbour.png" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("used by 1");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "harbour.png", Exact = true })).ToBeVisibleAsync();
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task An_editor_builds_a_page_from_a_template_publishes_it_and_the_public_route_serves_it()
    {
        var tenant = await stack.CreateTenantAsync();
        await CreateTypeAsync(tenant, new
        {
            slug = "landing", name = "Landing",
            fields = new object[] { new { name = "heading", kind = "text", required = true }, new { name = "intro", kind = "richText" } },
        });
        await using var session = await SignedInAsync(tenant);
        var page = session.Page;

        await page.GetByRole(AriaRole.Link, new() { Name = "Pages", Exact = true }).ClickAsync();
        await Expect(page.GetByText("No pages yet.")).ToBeVisibleAsync();
        await page.GetByLabel("Template").SelectOptionAsync("landing");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use template" }).ClickAsync();
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Welcome");
        await page.GetByLabel(new Regex("^Slug")).FillAsync("home");
        await page.GetByLabel(new Regex("^SEO title")).FillAsync("Welcome to the site");
        // The template's required heading left out: CMS names it and nothing is created.
        await page.GetByRole(AriaRole.Button, new() { Name = "Create page" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("heading");
        await Expect(page.GetByLabel("Title", new() { Exact = true })).ToHaveValueAsync("Welcome");
        await page.GetByLabel("heading").FillAsync("Hello, visitor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create page" }).ClickAsync();
        await Expect(page.GetByText(new Regex("The page Welcome is created"))).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Publish Welcome" }).ClickAsync();
        await Expect(page.GetByText("Welcome: published.")).ToBeVisibleAsync();
        await session.ScreenshotAsync("pages");

        using var anonymous = stack.GatewayClient();
        var served = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/cms/public/{tenant.Id}/pages/home", Xunit.TestContext.Current.CancellationToken);
        Assert.Equal("Hello, visitor", served.GetProperty("content").GetProperty("heading").GetString());
        Assert.Equal("Welcome to the site", served.GetProperty("seo").GetProperty("title").GetString());

        await page.GetByRole(AriaRole.Link, new() { Name = "Welcome", Exact = true }).ClickAsync();
        await Expect(page.GetByLabel("heading")).ToHaveValueAsync("Hello, visitor");
        session.AssertNoConsoleErrors();
    }

    private async Task<ConsoleSession> SignedInAsync(ProvisionedTenant tenant)
    {
        var session = await stack.OpenAsync();
        await session.Page.GotoAsync("/signin");
        await session.SignInAsync(tenant.Id, tenant.AdminEmail, AuthService.TenantPassword);
        await Expect(session.Page).ToHaveURLAsync(new Regex("/users$"));
        return session;
    }

    private static async Task CreateTypeAsync(ProvisionedTenant tenant, object type)
    {
        using var response = await tenant.Admin.PostAsJsonAsync("/api/v1/cms/types", type);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static byte[] Png(int width, int height)
    {
        using var bitmap = new SkiaSharp.SKBitmap(width, height);
        using (var canvas = new SkiaSharp.SKCanvas(bitmap))
        {
            canvas.Clear(SkiaSharp.SKColors.SeaGreen);
        }
        using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 90);
        return data.ToArray();
    }
}
