using System.Net.Http.Json;
using System.Text.Json;
using Codex.Benchmarks.Auth;
using Codex.Cms.Apis;
using Codex.Cms.Extensions;
using Codex.Cms.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Codex.Benchmarks.Crm.CrmBenchmark;
using static Codex.Benchmarks.Figures;
using static Codex.Benchmarks.Gateway.GatewayBenchmark;

namespace Codex.Benchmarks.Cms;

/// <summary>
/// CMS's reads under load, through the gateway: the public page route (anonymous, served from Redis) and the
/// delivery list (a <c>cms.read</c> key, uncached: SQL over the published JSONB copies), beside a raw Npgsql read
/// of one published item's row, all with wrk at 64 connections in one run.
/// </summary>
internal static class CmsBenchmark
{
    public static async Task<int> RunAsync(CancellationToken cancel)
    {
        var seconds = Setting("CODEX_BENCH_CMS_SECONDS", 15, 3);
        var connections = Setting("CODEX_BENCH_CMS_CONNECTIONS", 64, 1);
        var items = Setting("CODEX_BENCH_CMS_ITEMS", 200, 21);
        await using var auth = await BenchAuthHost.StartAsync("cms", cancel);
        var (token, key) = await auth.AdminWithKeyAsync(cancel, ["cms.read"]);
        const string tenant = BenchAuthHost.Tenant;

        var database = $"bench_cmsdb_{Environment.ProcessId}";
        var server = Figures.ConnectionString("postgres");
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", cancel);
        // As the AppHost deploys it: CMS signs in as its own role, under row-level security; the raw floor uses the admin.
        var roles = await Codex.Testing.TestInfrastructure.CreateServiceDatabaseAsync(database, server);
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["ConnectionStrings:cmsdb"] = roles.App,
                ["ConnectionStrings:cache"] = Figures.ConnectionString("cache"),
                ["ConnectionStrings:messaging"] = Figures.ConnectionString("messaging"),
                ["services:auth:http:0"] = auth.Address,
                ["EventBus:ServiceName"] = "bench-cms",
                ["ServiceIdentity:Secret"] = Codex.Testing.TestServiceIdentities.Secret(ResourceNames.Services.Cms),
            };
            await Codex.Testing.TestInfrastructure.MigrateAsync(roles, ResourceNames.Databases.Cms, settings,
                builder => builder.AddApplicationServices(), services => services.MigrateDatabaseAsync<CmsDbContext>(ResourceNames.Databases.Cms, cancel));
            await using var cms = await BenchApp.StartAsync("Codex.Cms", settings, builder => builder.AddApplicationServices(), app => app.MapCmsEndpoints(), cancel);

            Progress($"creating {items} published articles and a published page through CMS's API");
            var sampleId = await SeedAsync(cms.Address, token, items, cancel);
            await ExecuteAsync(roles.Admin, "VACUUM ANALYZE content_items", cancel);

            await using var raw = await RawEndpointAsync(roles.Admin, cancel);
            await using var gateway = await StartGatewayAsync(auth.Address, "cms", cms.Address, cancel, service: ResourceNames.Services.Cms);
            var page = $"{gateway.Address}/api/v1/cms/public/{tenant}/pages/home";
            var delivery = $"{gateway.Address}/api/v1/cms/delivery/article?limit=20";
            var direct = $"{cms.Address}/api/v1/cms/delivery/article?limit=20";
            var rawRow = $"{raw.Address}/raw/items/{sampleId}";
            string[] bearer = [$"Authorization: Bearer {token}"];
            string[] keyOnly = [$"X-API-Key: {key}"];
            await CheckAsync(page, [], cancel);
            await CheckAsync(delivery, keyOnly, cancel);
            await CheckAsync(rawRow, [], cancel);
            await CheckAsync(direct, bearer, cancel);

            var warmUp = Math.Max(3, seconds / 3);
            Progress($"warm-up: wrk on the three endpoints, {warmUp} s each");
            await WrkAsync(rawRow, connections, warmUp, [], cancel);
            await WrkAsync(page, connections, warmUp, [], cancel);
            await WrkAsync(delivery, connections, warmUp, keyOnly, cancel);

            Progress($"wrk: raw item row, public page (cached), delivery list (uncached), the list straight to CMS; {connections} connections, {seconds} s each");
            var rawResult = await WrkAsync(rawRow, connections, seconds, [], cancel);
            var pageResult = await WrkAsync(page, connections, seconds, [], cancel);
            var deliveryResult = await WrkAsync(delivery, connections, seconds, keyOnly, cancel);
            var directResult = await WrkAsync(direct, connections, seconds, bearer, cancel);

            Console.WriteLine($"cms data: {N(items)} published articles and one published page in one tenant; the delivery list reads a page of 20, newest first");
            Console.WriteLine($"cms raw item row (Npgsql, no gateway): {N(rawResult.RequestsPerSecond)} requests/s, p50 {rawResult.P50Ms:F2} ms, p99 {rawResult.P99Ms:F2} ms ({rawResult.Errors} errors)");
            Console.WriteLine($"cms public page via gateway (Redis cache): {N(pageResult.RequestsPerSecond)} requests/s, p50 {pageResult.P50Ms:F2} ms, p99 {pageResult.P99Ms:F2} ms ({pageResult.Errors} errors)");
            Console.WriteLine($"cms delivery list via gateway (cms.read key, uncached): {N(deliveryResult.RequestsPerSecond)} requests/s, p50 {deliveryResult.P50Ms:F2} ms, p99 {deliveryResult.P99Ms:F2} ms ({deliveryResult.Errors} errors)");
            Console.WriteLine($"cms delivery list straight to CMS (bearer, no gateway): {N(directResult.RequestsPerSecond)} requests/s, p50 {directResult.P50Ms:F2} ms, p99 {directResult.P99Ms:F2} ms ({directResult.Errors} errors)");
            Console.WriteLine($"cms page/raw throughput ratio: {pageResult.RequestsPerSecond / rawResult.RequestsPerSecond:F2}");
            Console.WriteLine($"cms delivery/raw throughput target >= 0.6: {Met(deliveryResult.RequestsPerSecond / rawResult.RequestsPerSecond >= 0.6)}");
            Console.WriteLine($"cms delivery/raw throughput ratio: {deliveryResult.RequestsPerSecond / rawResult.RequestsPerSecond:F2}");
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", CancellationToken.None);
        }
    }

    /// <summary>An article type, <paramref name="items"/> published articles and a published page "home"; answers one article's id.</summary>
    private static async Task<Guid> SeedAsync(string cms, string token, int items, CancellationToken cancel)
    {
        using var http = new HttpClient { BaseAddress = new Uri(cms) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        await SendAsync(http, "/api/v1/cms/types", new
        {
            slug = "article", name = "Article",
            fields = new object[]
            {
                new { name = "title", kind = "text", required = true }, new { name = "summary", kind = "text" },
                new { name = "body", kind = "richText" }, new { name = "rating", kind = "number" },
            },
        }, cancel);
        var sample = Guid.Empty;
        for (var n = 0; n < items; n++)
        {
            var item = await SendAsync(http, "/api/v1/cms/items", new
            {
                type = "article", slug = $"article-{n}",
                data = new { title = $"Article {n}", summary = $"What article {n} is about, in a sentence or two.", body = $"<p>{new string('x', 400)} {n}</p>", rating = n % 5 },
            }, cancel);
            var id = item.GetProperty("id").GetGuid();
            await SendAsync(http, $"/api/v1/cms/items/{id}/publish", new { }, cancel);
            sample = n == items / 2 ? id : sample;
        }
        var page = await SendAsync(http, "/api/v1/cms/pages", new { slug = "home", title = "Home", template = "article", content = new { title = "Welcome", body = "<p>Home</p>" } }, cancel);
        await SendAsync(http, $"/api/v1/cms/pages/{page.GetProperty("id").GetGuid()}/publish", new { }, cancel);
        return sample;
    }

    private static async Task<JsonElement> SendAsync(HttpClient http, string path, object body, CancellationToken cancel)
    {
        using var response = await http.PostAsJsonAsync(path, body, cancel);
        var text = await response.Content.ReadAsStringAsync(cancel);
        return response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.Clone() : throw new BenchmarkException($"{path} answered {(int)response.StatusCode}: {text}");
    }

    /// <summary>The floor: one prepared SELECT of a published item's row on a tuned <c>NpgsqlDataSource</c>, no gateway, auth or EF.</summary>
    private static async Task<BenchApp> RawEndpointAsync(string connectionString, CancellationToken cancel)
    {
        var source = NpgsqlDataSource.Create(CodexDbContextDefaults.WithReadDefaults(connectionString)!);
        return await BenchApp.StartAsync("Codex.Benchmarks.Raw", new Dictionary<string, string?>(),
            builder => builder.Services.AddSingleton(source),
            app => app.MapGet("/raw/items/{id:guid}", async (Guid id, NpgsqlDataSource data, CancellationToken ct) =>
            {
                await using var command = data.CreateCommand(
                    "SELECT id, slug, published_version, published_at, published_data::text FROM content_items WHERE tenant_id = $1 AND id = $2 AND published_version IS NOT NULL");
                command.Parameters.Add(new NpgsqlParameter { Value = BenchAuthHost.Tenant });
                command.Parameters.Add(new NpgsqlParameter { Value = id });
                await using var reader = await command.ExecuteReaderAsync(ct);
                return await reader.ReadAsync(ct)
                    ? Results.Text($$"""{"id":"{{reader.GetGuid(0)}}","slug":"{{reader.GetString(1)}}","version":{{reader.GetInt32(2)}},"data":{{reader.GetString(4)}}}""", "application/json")
                    : Results.NotFound();
            }), cancel);
    }
}
