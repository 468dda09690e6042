using System.Net.Http.Json;
using System.Text.Json;
using Codex.Cms.Apis;
using Codex.Cms.Extensions;
using Codex.Cms.Infrastructure;
using Codex.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Codex.Cms.Tests;

/// <summary>The real CMS (on a cmsdb of its own) in the platform stack: tenants come from Platform, calls go through the gateway.</summary>
public sealed class CmsStack : PlatformStack
{
    public TestApp Cms { get; private set; } = null!;
    public string CmsDatabase { get; } = $"cms_{Guid.NewGuid():N}"[..20];

    /// <summary>The test's own view of cmsdb (the admin's); CMS signs in as its app role.</summary>
    public string CmsConnectionString => CmsRoles.Admin;

    public ServiceDatabase CmsRoles { get; private set; } = null!;

    private IDictionary<string, string?> _settings = null!;

    /// <summary>The file-system media store of this stack's CMS (removed with it).</summary>
    public string MediaRoot { get; } = Path.Combine(Path.GetTempPath(), $"codex-cms-media-{Guid.NewGuid():N}");

    protected override async Task<IDictionary<string, string?>> StartDownstreamAsync()
    {
        (Cms, CmsRoles, _settings) = await StartServiceAsync(ResourceNames.Services.Cms, ResourceNames.Databases.Cms, CmsDatabase,
            builder => builder.AddApplicationServices(), app => app.MapCmsEndpoints(),
            services => services.MigrateDatabaseAsync<CmsDbContext>(ResourceNames.Databases.Cms), "Codex.Cms",
            new Dictionary<string, string?> { ["Cms:Scheduler:PollInterval"] = "00:00:00.100", ["Cms:Media:Root"] = MediaRoot });
        return new Dictionary<string, string?> { [$"services:{ResourceNames.Services.Cms}:http:0"] = Cms.Address.ToString().TrimEnd('/') };
    }

    public override async ValueTask DisposeAsync()
    {
        var queue = Cms.Services.GetRequiredService<IOptions<EventBusOptions>>().Value;
        await base.DisposeAsync();
        await Cms.DisposeAsync();
        await DeleteQueuesAsync(queue);
        if (Directory.Exists(MediaRoot))
        {
            Directory.Delete(MediaRoot, recursive: true);
        }
    }

    /// <summary>The files stored for a tenant (originals and thumbnails).</summary>
    public IReadOnlyList<string> StoredFiles(string tenantId)
    {
        var directory = Path.Combine(MediaRoot, tenantId);
        return Directory.Exists(directory) ? Directory.GetFiles(directory, "*", SearchOption.AllDirectories) : [];
    }

    /// <summary>A second CMS on the same database and queue, as <c>WithReplicas(2)</c> runs it; the caller disposes it.</summary>
    public Task<TestApp> StartReplicaAsync() =>
        TestApp.StartAsync(_settings, builder => builder.AddApplicationServices(), app => app.MapCmsEndpoints(), applicationName: "Codex.Cms");

    /// <summary>A scalar from cmsdb.</summary>
    public Task<T> CmsScalarAsync<T>(string sql, params (string Name, object Value)[] parameters) => ScalarAsync<T>(CmsConnectionString, sql, parameters);

    public Task<long> CountAsync(string table, string tenantId) =>
        ScalarAsync<long>(CmsConnectionString, $"SELECT count(*) FROM {table} WHERE tenant_id = @t", ("t", tenantId));
}

/// <summary>Request helpers the CMS tests share.</summary>
public static class CmsCalls
{
    /// <summary>An article type: one field of each kind (a component of sections, a reference to other articles).</summary>
    public static object ArticleType(string slug = "article", bool requiresReview = false) => new
    {
        slug,
        name = "Article",
        requiresReview,
        fields = new object[]
        {
            new { name = "title", kind = "text", required = true, max = 120 },
            new { name = "code", kind = "text", pattern = "^[A-Z]{3}-[0-9]+$" },
            new { name = "body", kind = "richText" },
            new { name = "rating", kind = "number", min = 0, max = 5 },
            new { name = "featured", kind = "boolean" },
            new { name = "publishOn", kind = "date" },
            new { name = "tone", kind = "enum", values = new[] { "news", "opinion" } },
            new { name = "cover", kind = "media" },
            new { name = "related", kind = "reference", referenceType = slug },
            new { name = "sections", kind = "component", max = 3, fields = new object[] { new { name = "heading", kind = "text", required = true } } },
            new { name = "extra", kind = "json" },
        },
    };

    public static async Task<JsonElement> CreateTypeAsync(this HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/cms/types", body);
        return await response.ReadAsync<JsonElement>();
    }

    public static async Task<JsonElement> CreateItemAsync(this HttpClient client, string type, string slug, object data, string? locale = null)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/cms/items", new { type, slug, data, locale });
        return await response.ReadAsync<JsonElement>();
    }

    public static async Task<JsonElement> PostAsync(this HttpClient client, string path, object? body = null)
    {
        using var response = await client.PostAsJsonAsync(path, body ?? new { });
        return await response.ReadAsync<JsonElement>();
    }

    public static async Task<JsonElement> PutAsync(this HttpClient client, string path, object body)
    {
        using var response = await client.PutAsJsonAsync(path, body);
        return await response.ReadAsync<JsonElement>();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return await response.ReadAsync<JsonElement>();
    }

    public static async Task<JsonElement> UploadAsync(this HttpClient client, byte[] file, string fileName, string? query = null)
    {
        using var response = await client.PostAsync($"/api/v1/cms/media?fileName={Uri.EscapeDataString(fileName)}{query}", new ByteArrayContent(file));
        return await response.ReadAsync<JsonElement>();
    }

    public static Guid Id(this JsonElement element) => element.GetProperty("id").GetGuid();

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
