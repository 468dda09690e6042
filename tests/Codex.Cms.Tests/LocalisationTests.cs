using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Codex.Auth.Contracts;

namespace Codex.Cms.Tests;

/// <summary>Locales per tenant with fallback chains; one variant of an item per locale, published on its own; delivery in a locale.</summary>
public sealed class LocalisationTests(CmsStack stack) : IClassFixture<CmsStack>
{
    private static readonly object Guide = new
    {
        slug = "guide",
        name = "Guide",
        fields = new object[]
        {
            new { name = "title", kind = "text", required = true, localized = true },
            new { name = "body", kind = "richText", localized = true },
            new { name = "price", kind = "number", min = 0 },
        },
    };

    private static readonly object ThreeLocales = new
    {
        @default = "en",
        locales = new object[] { new { code = "en" }, new { code = "fr", fallback = "en" }, new { code = "fr-CA", fallback = "fr" } },
    };

    [Fact]
    public async Task A_tenant_starts_with_english_and_saves_locales_with_fallbacks()
    {
        var tenant = await stack.CreateTenantAsync();
        var before = await tenant.Admin.GetJsonAsync("/api/v1/cms/locales");
        var saved = await tenant.Admin.PutAsync("/api/v1/cms/locales", ThreeLocales);
        var after = await tenant.Admin.GetJsonAsync("/api/v1/cms/locales");

        Assert.Equal("en", before.Str("default"));
        Assert.Equal(["en"], before.GetProperty("locales").EnumerateArray().Select(l => l.Str("code")));
        Assert.Equal("en", saved.Str("default"));
        Assert.Equal(["en", "fr", "fr-CA"], after.GetProperty("locales").EnumerateArray().Select(l => l.Str("code")));
        Assert.Equal("fr", after.GetProperty("locales")[2].Str("fallback"));
        Assert.Equal(JsonValueKind.Null, after.GetProperty("locales")[0].GetProperty("fallback").ValueKind);
    }

    public static TheoryData<string, string> BadSettings => new()
    {
        { """{"default":"en","locales":[{"code":"en"},{"code":"English"}]}""", "locales[1].code" },
        { """{"default":"en","locales":[{"code":"en"},{"code":"en"}]}""", "locales[1].code" },
        { """{"default":"de","locales":[{"code":"en"}]}""", "default" },
        { """{"default":"en","locales":[{"code":"en"},{"code":"fr","fallback":"de"}]}""", "locales[1].fallback" },
        { """{"default":"en","locales":[{"code":"en","fallback":"fr"},{"code":"fr","fallback":"en"}]}""", "locales[0].fallback" },
        { """{"default":"en","locales":[]}""", "locales" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Bad_locale_settings_are_a_400_naming_the_field_and_change_nothing(string body, string field)
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.PutAsync("/api/v1/cms/locales", ThreeLocales);

        using var response = await tenant.Admin.PutAsync("/api/v1/cms/locales", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        var after = await tenant.Admin.GetJsonAsync("/api/v1/cms/locales");
        Assert.Equal(["en", "fr", "fr-CA"], after.GetProperty("locales").EnumerateArray().Select(l => l.Str("code")));
    }

    [Fact]
    public async Task A_locale_with_variants_is_not_removed_and_the_409_lists_them()
    {
        var tenant = await GuideTenantAsync();
        var item = await tenant.Admin.CreateItemAsync("guide", "setup", new { title = "Setup" });
        var french = await tenant.Admin.PostAsync($"/api/v1/cms/items/{item.Id()}/variants", new { locale = "fr", data = new { title = "Installation" } });

        using var response = await tenant.Admin.PutAsJsonAsync("/api/v1/cms/locales", new { @default = "en", locales = new object[] { new { code = "en" } } });

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "locale_in_use");
        Assert.Equal(1, problem.GetProperty("affectedCount").GetInt32());
        Assert.Equal(french.Id(), problem.GetProperty("affectedItems")[0].GetProperty("id").GetGuid());
        Assert.Equal(3, (await tenant.Admin.GetJsonAsync("/api/v1/cms/locales")).GetProperty("locales").GetArrayLength());
    }

    [Fact]
    public async Task A_variant_shares_the_items_slug_and_shared_fields_and_has_its_own_versions()
    {
        var tenant = await GuideTenantAsync();
        var english = await tenant.Admin.CreateItemAsync("guide", "setup", new { title = "Setup", price = 10 });

        // The translator's price is not theirs to set: shared fields come from the item.
        var french = await tenant.Admin.PostAsync($"/api/v1/cms/items/{english.Id()}/variants", new { locale = "fr", data = new { title = "Installation", price = 99 } });
        using var twice = await tenant.Admin.PostAsJsonAsync($"/api/v1/cms/items/{english.Id()}/variants", new { locale = "fr" });
        using var unknown = await tenant.Admin.PostAsJsonAsync($"/api/v1/cms/items/{english.Id()}/variants", new { locale = "de" });
        using var invalid = await tenant.Admin.PostAsJsonAsync($"/api/v1/cms/items/{english.Id()}/variants", new { locale = "fr-CA", data = new { title = 7 } });

        Assert.Equal("fr", french.Str("locale"));
        Assert.Equal(english.Id(), french.GetProperty("entryId").GetGuid());
        Assert.Equal("setup", french.Str("slug"));
        Assert.Equal(10, french.GetProperty("data").GetProperty("price").GetInt32());
        Assert.Equal("Installation", french.GetProperty("data").Str("title"));
        await twice.AssertProblemAsync(HttpStatusCode.Conflict, "variant_exists");
        await unknown.AssertProblemAsync(HttpStatusCode.BadRequest);
        await invalid.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(2, await stack.CountAsync("content_items", tenant.Id));

        // Editing the French price and slug changes the English variant too, as a new version of its own; titles stay apart.
        await tenant.Admin.PutAsync($"/api/v1/cms/items/{french.Id()}", new { slug = "getting-started", data = new { title = "Démarrage", price = 12 } });
        var englishAfter = await tenant.Admin.GetJsonAsync($"/api/v1/cms/items/{english.Id()}");
        var versions = await tenant.Admin.GetJsonAsync($"/api/v1/cms/items/{english.Id()}/versions");
        var variants = await tenant.Admin.GetJsonAsync($"/api/v1/cms/items/{english.Id()}/variants");

        Assert.Equal("getting-started", englishAfter.Str("slug"));
        Assert.Equal(12, englishAfter.GetProperty("data").GetProperty("price").GetInt32());
        Assert.Equal("Setup", englishAfter.GetProperty("data").Str("title"));
        Assert.Equal(2, englishAfter.GetProperty("version").GetInt32());
        Assert.Equal("shared fields from fr", versions[0].Str("note"));
        Assert.Equal(["en", "fr"], variants.EnumerateArray().Select(v => v.Str("locale")));
        Assert.All(variants.EnumerateArray(), v => Assert.Equal(2, v.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task Another_items_slug_is_taken_in_every_locale()
    {
        var tenant = await GuideTenantAsync();
        await tenant.Admin.CreateItemAsync("guide", "pricing", new { title = "Pricing" });

        using var response = await tenant.Admin.PostAsJsonAsync("/api/v1/cms/items", new { type = "guide", slug = "pricing", locale = "fr", data = new { title = "Tarifs" } });

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "duplicate_slug");
        Assert.Equal(1, await stack.CountAsync("content_items", tenant.Id));
    }

    [Fact]
    public async Task Each_locale_is_published_on_its_own_and_delivery_follows_the_fallback_chain()
    {
        var tenant = await GuideTenantAsync();
        // a: en and fr live. b: en live only. c: only its fr-CA variant live. d: fr live, fr-CA a draft.
        var a = await PublishedAsync(tenant, await tenant.Admin.CreateItemAsync("guide", "a", new { title = "A" }));
        await PublishedAsync(tenant, await tenant.Admin.PostAsync($"/api/v1/cms/items/{a}/variants", new { locale = "fr", data = new { title = "A (fr)" } }));
        await PublishedAsync(tenant, await tenant.Admin.CreateItemAsync("guide", "b", new { title = "B" }));
        var c = await tenant.Admin.CreateItemAsync("guide", "c", new { title = "C" });
        await PublishedAsync(tenant, await tenant.Admin.PostAsync($"/api/v1/cms/items/{c.Id()}/variants", new { locale = "fr-CA", data = new { title = "C (fr-CA)" } }));
        var d = await PublishedAsync(tenant, await tenant.Admin.CreateItemAsync("guide", "d", new { title = "D (fr)" }, "fr"));
        await tenant.Admin.PostAsync($"/api/v1/cms/items/{d}/variants", new { locale = "fr-CA", data = new { title = "D (fr-CA) draft" } });
        using var reader = stack.GatewayClient(key: await tenant.NewKeyAsync("cms.read"));

        async Task<string[]> ReadAsync(string query) =>
            [.. (await reader.GetJsonAsync($"/api/v1/cms/delivery/guide?sort=slug{query}")).GetProperty("items").EnumerateArray()
                .Select(i => $"{i.Str("slug")}:{i.Str("locale")}:{i.GetProperty("data").Str("title")}")];

        Assert.Equal(["a:en:A", "b:en:B"], await ReadAsync(""));
        Assert.Equal(["a:fr:A (fr)", "b:en:B", "d:fr:D (fr)"], await ReadAsync("&locale=fr"));
        Assert.Equal(["a:fr:A (fr)", "b:en:B", "c:fr-CA:C (fr-CA)", "d:fr:D (fr)"], await ReadAsync("&locale=fr-CA"));
        Assert.Equal(["a:fr:A (fr)", "b:en:B", "c:fr-CA:C (fr-CA)", "d:fr-CA:D (fr-CA) draft"],
            [.. (await tenant.Admin.GetJsonAsync("/api/v1/cms/preview/guide?sort=slug&locale=fr-CA")).GetProperty("items").EnumerateArray()
                .Select(i => $"{i.Str("slug")}:{i.Str("locale")}:{i.GetProperty("data").Str("title")}")]);
        var one = await reader.GetJsonAsync("/api/v1/cms/delivery/guide/b?locale=fr-CA");
        Assert.Equal("en", one.Str("locale"));
        Assert.Equal("B", one.GetProperty("data").Str("title"));

        // Taking the French variant down leaves English live, and French readers fall back to it.
        var french = (await tenant.Admin.GetJsonAsync($"/api/v1/cms/items/{a}/variants")).EnumerateArray().Single(v => v.Str("locale") == "fr").Id();
        await tenant.Admin.PostAsync($"/api/v1/cms/items/{french}/unpublish");
        Assert.Equal("en", (await reader.GetJsonAsync("/api/v1/cms/delivery/guide/a?locale=fr")).Str("locale"));
        Assert.Equal(["a:en:A", "b:en:B"], await ReadAsync(""));

        using var unknown = await reader.GetAsync("/api/v1/cms/delivery/guide?locale=de");
        var problem = await unknown.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("locale", out _));
        using var none = await reader.GetAsync("/api/v1/cms/delivery/guide/c?locale=fr");
        await none.AssertProblemAsync(HttpStatusCode.NotFound, "content_item_not_found");
    }

    [Fact]
    public async Task Racing_creates_of_one_slug_in_different_locales_leave_one_item()
    {
        var tenant = await GuideTenantAsync();
        var locales = new[] { "en", "fr", "fr-CA" };

        var statuses = await Task.WhenAll(Enumerable.Range(0, 9).Select(async n =>
        {
            using var response = await tenant.Admin.PostAsJsonAsync("/api/v1/cms/items",
                new { type = "guide", slug = "contested", locale = locales[n % 3], data = new { title = $"Try {n}" } });
            return response.StatusCode;
        }));

        Assert.Single(statuses, s => s == HttpStatusCode.Created);
        Assert.All(statuses.Where(s => s != HttpStatusCode.Created), s => Assert.Equal(HttpStatusCode.Conflict, s));
        Assert.Equal(1, await stack.CountAsync("content_items", tenant.Id));
    }

    [Fact]
    public async Task A_restored_variant_catches_up_with_the_shared_fields_it_missed()
    {
        var tenant = await GuideTenantAsync();
        var english = await tenant.Admin.CreateItemAsync("guide", "kit", new { title = "Kit", price = 10 });
        var french = await tenant.Admin.PostAsync($"/api/v1/cms/items/{english.Id()}/variants", new { locale = "fr", data = new { title = "Trousse" } });
        await tenant.Admin.PostAsync($"/api/v1/cms/items/{french.Id()}/archive");
        await tenant.Admin.PutAsync($"/api/v1/cms/items/{english.Id()}", new { slug = "starter-kit", data = new { title = "Kit", price = 15 } });
        var archived = await tenant.Admin.GetJsonAsync($"/api/v1/cms/items/{french.Id()}");

        var restored = await tenant.Admin.PostAsync($"/api/v1/cms/items/{french.Id()}/restore");

        Assert.Equal(10, archived.GetProperty("data").GetProperty("price").GetInt32());
        Assert.Equal("draft", restored.Str("status"));
        Assert.Equal("starter-kit", restored.Str("slug"));
        Assert.Equal(15, restored.GetProperty("data").GetProperty("price").GetInt32());
        Assert.Equal("Trousse", restored.GetProperty("data").Str("title"));
        Assert.Equal(2, restored.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Another_tenants_item_has_no_variants_here_and_its_locales_are_its_own()
    {
        var mine = await stack.CreateTenantAsync();
        var theirs = await stack.CreateTenantAsync();
        await theirs.Admin.PutAsync("/api/v1/cms/locales", ThreeLocales);
        await theirs.Admin.CreateTypeAsync(Guide);
        var item = await theirs.Admin.CreateItemAsync("guide", "secret", new { title = "Secret" });

        using var list = await mine.Admin.GetAsync($"/api/v1/cms/items/{item.Id()}/variants");
        using var create = await mine.Admin.PostAsJsonAsync($"/api/v1/cms/items/{item.Id()}/variants", new { locale = "en" });

        await list.AssertProblemAsync(HttpStatusCode.NotFound, "content_item_not_found");
        await create.AssertProblemAsync(HttpStatusCode.NotFound, "content_item_not_found");
        Assert.Equal(["en"], (await mine.Admin.GetJsonAsync("/api/v1/cms/locales")).GetProperty("locales").EnumerateArray().Select(l => l.Str("code")));
        Assert.Equal(1, await stack.CountAsync("content_items", theirs.Id));
    }

    private static async Task<Guid> PublishedAsync(ProvisionedTenant tenant, JsonElement item)
    {
        await tenant.Admin.PostAsync($"/api/v1/cms/items/{item.Id()}/publish");
        return item.Id();
    }

    /// <summary>A tenant with en, fr (falls back to en) and fr-CA (to fr), and the guide type.</summary>
    private async Task<ProvisionedTenant> GuideTenantAsync()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.PutAsync("/api/v1/cms/locales", ThreeLocales);
        await tenant.Admin.CreateTypeAsync(Guide);
        return tenant;
    }
}
