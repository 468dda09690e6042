using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Codex.Auth.Contracts;
using SkiaSharp;

namespace Codex.Cms.Tests;

/// <summary>The media library: streamed uploads typed by their bytes, per-tenant limits, images measured and thumbnailed, originals served for caching.</summary>
public sealed class MediaTests(CmsStack stack) : IClassFixture<CmsStack>
{
    [Fact]
    public async Task An_image_is_typed_by_its_bytes_measured_thumbnailed_and_served_for_caching()
    {
        var tenant = await stack.CreateTenantAsync();
        var png = MediaFiles.Png(800, 400);

        // Named as a PDF, it is still the PNG its bytes say.
        var media = await tenant.Admin.UploadAsync(png, "brochure.pdf", "&altText=A%20blue%20field");

        Assert.Equal("image/png", media.Str("contentType"));
        Assert.Equal(800, media.GetProperty("width").GetInt32());
        Assert.Equal(400, media.GetProperty("height").GetInt32());
        Assert.Equal(png.Length, media.GetProperty("bytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(png)), media.Str("sha256"));
        Assert.Equal("A blue field", media.Str("altText"));

        using var original = await tenant.Admin.GetAsync(media.Str("url"));
        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        Assert.Equal(png, await original.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", original.Content.Headers.ContentType!.MediaType);
        Assert.True(original.Headers.CacheControl!.MaxAge >= TimeSpan.FromDays(365));
        Assert.Contains("immutable", original.Headers.CacheControl.ToString());
        Assert.Equal("nosniff", original.Headers.GetValues("X-Content-Type-Options").Single());
        var etag = original.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, media.Str("url"));
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await tenant.Admin.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var part = new HttpRequestMessage(HttpMethod.Get, media.Str("url"));
        part.Headers.Range = new RangeHeaderValue(0, 7);
        using var partial = await tenant.Admin.SendAsync(part);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(png[..8], await partial.Content.ReadAsByteArrayAsync());

        using var thumbnail = await tenant.Admin.GetAsync(media.Str("thumbnailUrl"));
        Assert.Equal("image/webp", thumbnail.Content.Headers.ContentType!.MediaType);
        using var decoded = SKBitmap.Decode(await thumbnail.Content.ReadAsByteArrayAsync());
        Assert.Equal((320, 160), (decoded.Width, decoded.Height));
        Assert.Equal(2, stack.StoredFiles(tenant.Id).Count);
    }

    [Fact]
    public async Task A_pdf_is_stored_without_a_thumbnail_and_listed_by_type()
    {
        var tenant = await stack.CreateTenantAsync();
        var pdf = await tenant.Admin.UploadAsync(MediaFiles.Pdf(), "terms.pdf");
        var photo = await tenant.Admin.UploadAsync(MediaFiles.Jpeg(64, 48), "photo.jpg");

        var images = await tenant.Admin.GetJsonAsync("/api/v1/cms/media?type=image");
        var pdfs = await tenant.Admin.GetJsonAsync("/api/v1/cms/media?type=application/pdf");
        var all = await tenant.Admin.GetJsonAsync("/api/v1/cms/media?limit=1");
        using var noThumbnail = await tenant.Admin.GetAsync($"/api/v1/cms/media/{pdf.Id()}/thumbnail");

        Assert.Equal("application/pdf", pdf.Str("contentType"));
        Assert.Equal(JsonValueKind.Null, pdf.GetProperty("width").ValueKind);
        Assert.Equal(JsonValueKind.Null, pdf.GetProperty("thumbnailUrl").ValueKind);
        Assert.Equal([photo.Id()], images.GetProperty("items").EnumerateArray().Select(m => m.Id()));
        Assert.Equal([pdf.Id()], pdfs.GetProperty("items").EnumerateArray().Select(m => m.Id()));
        Assert.Equal([photo.Id()], all.GetProperty("items").EnumerateArray().Select(m => m.Id()));
        Assert.NotEqual(JsonValueKind.Null, all.GetProperty("nextCursor").ValueKind);
        await noThumbnail.AssertProblemAsync(HttpStatusCode.NotFound, "thumbnail_not_found");
    }

    public static TheoryData<string, HttpStatusCode, string?> Refusals => new()
    {
        { "text", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type" },
        { "svg", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type" },
        { "broken-png", HttpStatusCode.BadRequest, null },
        { "empty", HttpStatusCode.BadRequest, null },
        { "too-large", HttpStatusCode.RequestEntityTooLarge, "media_too_large" },
        { "not-allowed", HttpStatusCode.UnsupportedMediaType, "media_type_not_allowed" },
        { "no-name", HttpStatusCode.BadRequest, null },
        { "path-name", HttpStatusCode.BadRequest, null },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_upload_is_a_problem_and_leaves_no_row_and_no_bytes(string upload, HttpStatusCode status, string? code)
    {
        var tenant = await stack.CreateTenantAsync();
        // This tenant takes images of at most 4 KiB.
        var saved = await tenant.Admin.PutAsync("/api/v1/cms/media/settings", new { maxBytes = 4096, allowedTypes = new[] { "image/png", "image/jpeg" } });
        Assert.Equal(4096, saved.GetProperty("maxBytes").GetInt64());
        var (bytes, name) = upload switch
        {
            "text" => ("just some words"u8.ToArray(), "words.png"),
            "svg" => ("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray(), "logo.svg"),
            "broken-png" => ([.. MediaFiles.Png(10, 10)[..16], .. new byte[100]], "broken.png"),
            "empty" => ([], "empty.png"),
            "too-large" => (MediaFiles.Jpeg(1200, 1200), "big.jpg"),
            "not-allowed" => (MediaFiles.Pdf(), "terms.pdf"),
            "no-name" => (MediaFiles.Png(10, 10), ""),
            _ => (MediaFiles.Png(10, 10), "../../etc/passwd"),
        };
        Assert.True(upload != "too-large" || bytes.Length > 4096);

        using var response = await tenant.Admin.PostAsync($"/api/v1/cms/media?fileName={Uri.EscapeDataString(name)}", new ByteArrayContent(bytes));

        await response.AssertProblemAsync(status, code);
        Assert.Equal(0, await stack.CountAsync("media_files", tenant.Id));
        Assert.Empty(stack.StoredFiles(tenant.Id));
    }

    [Fact]
    public async Task Bad_media_settings_and_words_are_400s_that_change_nothing()
    {
        var tenant = await stack.CreateTenantAsync();
        var media = await tenant.Admin.UploadAsync(MediaFiles.Png(10, 10), "dot.png");

        using var zero = await tenant.Admin.PutAsJsonAsync("/api/v1/cms/media/settings", new { maxBytes = 0, allowedTypes = new[] { "image/png" } });
        using var svg = await tenant.Admin.PutAsJsonAsync("/api/v1/cms/media/settings", new { maxBytes = 1000, allowedTypes = new[] { "image/svg+xml" } });
        using var longAlt = await tenant.Admin.PutAsJsonAsync($"/api/v1/cms/media/{media.Id()}", new { altText = new string('a', 501), caption = "fine" });
        var edited = await tenant.Admin.PutAsync($"/api/v1/cms/media/{media.Id()}", new { altText = "A dot", caption = "The smallest picture" });

        Assert.True((await zero.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("maxBytes", out _));
        Assert.True((await svg.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("allowedTypes", out _));
        Assert.True((await longAlt.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("altText", out _));
        Assert.Equal(10 * 1024 * 1024, (await tenant.Admin.GetJsonAsync("/api/v1/cms/media/settings")).GetProperty("maxBytes").GetInt64());
        Assert.Equal("A dot", edited.Str("altText"));
        Assert.Equal("The smallest picture", (await tenant.Admin.GetJsonAsync($"/api/v1/cms/media/{media.Id()}")).Str("caption"));
    }

    [Fact]
    public async Task A_media_field_names_a_file_of_the_tenant_and_a_used_file_is_not_deleted()
    {
        var tenant = await stack.CreateTenantAsync();
        await tenant.Admin.CreateTypeAsync(CmsCalls.ArticleType());
        var cover = await tenant.Admin.UploadAsync(MediaFiles.Png(30, 30), "cover.png");
        var ghost = Guid.NewGuid();

        using var unknown = await tenant.Admin.PostAsJsonAsync("/api/v1/cms/items", new { type = "article", slug = "ghost", data = new { title = "G", cover = ghost } });
        var item = await tenant.Admin.CreateItemAsync("article", "with-cover", new { title = "Covered", cover = cover.Id() });
        await tenant.Admin.PostAsync($"/api/v1/cms/items/{item.Id()}/publish");
        using var inUse = await tenant.Admin.DeleteAsync($"/api/v1/cms/media/{cover.Id()}");
        // Out of the working copy, still in the live one: still in use.
        await tenant.Admin.PutAsync($"/api/v1/cms/items/{item.Id()}", new { slug = "with-cover", data = new { title = "Uncovered" } });
        using var stillLive = await tenant.Admin.DeleteAsync($"/api/v1/cms/media/{cover.Id()}");
        await tenant.Admin.PostAsync($"/api/v1/cms/items/{item.Id()}/publish");
        using var deleted = await tenant.Admin.DeleteAsync($"/api/v1/cms/media/{cover.Id()}");
        using var gone = await tenant.Admin.GetAsync($"/api/v1/cms/media/{cover.Id()}/content");

        Assert.Contains(ghost.ToString(), (await unknown.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("data.cover")[0].GetString());
        var problem = await inUse.AssertProblemAsync(HttpStatusCode.Conflict, "media_in_use");
        Assert.Equal(item.Id(), problem.GetProperty("affectedItems")[0].GetProperty("id").GetGuid());
        await stillLive.AssertProblemAsync(HttpStatusCode.Conflict, "media_in_use");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await gone.AssertProblemAsync(HttpStatusCode.NotFound, "media_not_found");
        Assert.Empty(stack.StoredFiles(tenant.Id));
        Assert.Equal(0, await stack.CountAsync("media_files", tenant.Id));
    }

    [Fact]
    public async Task Another_tenants_file_is_a_404_everywhere_and_not_usable_in_a_field()
    {
        var mine = await stack.CreateTenantAsync();
        var theirs = await stack.CreateTenantAsync();
        var file = await theirs.Admin.UploadAsync(MediaFiles.Png(20, 20), "theirs.png");
        await mine.Admin.CreateTypeAsync(CmsCalls.ArticleType());

        foreach (var path in new[] { "", "/content", "/thumbnail" })
        {
            using var read = await mine.Admin.GetAsync($"/api/v1/cms/media/{file.Id()}{path}");
            await read.AssertProblemAsync(HttpStatusCode.NotFound, "media_not_found");
        }
        using var edit = await mine.Admin.PutAsJsonAsync($"/api/v1/cms/media/{file.Id()}", new { altText = "mine now" });
        using var delete = await mine.Admin.DeleteAsync($"/api/v1/cms/media/{file.Id()}");
        using var use = await mine.Admin.PostAsJsonAsync("/api/v1/cms/items", new { type = "article", slug = "borrowed", data = new { title = "B", cover = file.Id() } });

        await edit.AssertProblemAsync(HttpStatusCode.NotFound, "media_not_found");
        await delete.AssertProblemAsync(HttpStatusCode.NotFound, "media_not_found");
        await use.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty((await mine.Admin.GetJsonAsync("/api/v1/cms/media")).GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, (await theirs.Admin.GetJsonAsync($"/api/v1/cms/media/{file.Id()}")).GetProperty("altText").ValueKind);
    }

    [Fact]
    public async Task A_read_key_fetches_files_but_does_not_upload_and_the_bytes_reach_platforms_summary()
    {
        var tenant = await stack.CreateTenantAsync();
        var png = MediaFiles.Png(50, 50);
        var pdf = MediaFiles.Pdf();
        var image = await tenant.Admin.UploadAsync(png, "a.png");
        var document = await tenant.Admin.UploadAsync(pdf, "b.pdf");
        using (await tenant.Admin.DeleteAsync($"/api/v1/cms/media/{document.Id()}"))
        {
        }
        using var reader = stack.GatewayClient(key: await tenant.NewKeyAsync("cms.read"));

        using var read = await reader.GetAsync(image.Str("url"));
        using var upload = await reader.PostAsync("/api/v1/cms/media?fileName=x.png", new ByteArrayContent(png));

        Assert.Equal(png, await read.Content.ReadAsByteArrayAsync());
        await upload.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            (await stack.SummaryAsync(tenant.Id)).TryGetProperty("cms", out var cms) && cms.TryGetProperty("mediaBytes", out var bytes) && bytes.GetInt64() == png.Length,
            TimeSpan.FromSeconds(10)));
    }
}
