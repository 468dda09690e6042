using System.Net.Http.Json;
using System.Text.Json;
using Codex.Benchmarks.Auth;
using Codex.Crm.Apis;
using Codex.Crm.Extensions;
using Codex.Crm.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using static Codex.Benchmarks.Figures;
using static Codex.Benchmarks.Gateway.GatewayBenchmark;

namespace Codex.Benchmarks.Crm;

/// <summary>
/// CRM under load with 100 000 customers in one tenant: customer search and the lead list through the
/// gateway (API key + JWT, the token validated again by CRM), beside raw Npgsql endpoints on the same
/// data: a single row, the floor any CRM read is compared with, and the search's own SQL, the floor of
/// the search. All driven by wrk at 64 connections in one run.
/// </summary>
internal static class CrmBenchmark
{
    private const int LightConnections = 8;

    public static async Task<int> RunAsync(CancellationToken cancel)
    {
        var seconds = Setting("CODEX_BENCH_CRM_SECONDS", 15, 3);
        var connections = Setting("CODEX_BENCH_CRM_CONNECTIONS", 64, 1);
        var customers = Setting("CODEX_BENCH_CRM_CUSTOMERS", 100_000, 1_000);
        var leads = Setting("CODEX_BENCH_CRM_LEADS", 20_000, 100);
        await using var auth = await BenchAuthHost.StartAsync("crm", cancel);
        var (token, key) = await auth.AdminWithKeyAsync(cancel);
        const string tenant = BenchAuthHost.Tenant;

        var database = $"bench_crmdb_{Environment.ProcessId}";
        var server = Figures.ConnectionString("postgres");
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", cancel);
        // As the AppHost deploys it: CRM signs in as its own role, under row-level security; seeding and the raw floors use the admin.
        var roles = await Codex.Testing.TestInfrastructure.CreateServiceDatabaseAsync(database, server);
        var pool = Setting("CODEX_BENCH_CRM_POOL", 100, 1);
        var crmdb = new NpgsqlConnectionStringBuilder(roles.Admin) { MaxPoolSize = pool }.ConnectionString;
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["ConnectionStrings:crmdb"] = new NpgsqlConnectionStringBuilder(roles.App) { MaxPoolSize = pool }.ConnectionString,
                ["ConnectionStrings:messaging"] = Figures.ConnectionString("messaging"),
                ["services:auth:http:0"] = auth.Address,
                ["EventBus:ServiceName"] = "bench-crm",
                ["ServiceIdentity:Secret"] = Codex.Testing.TestServiceIdentities.Secret(ResourceNames.Services.Crm),
            };
            await Codex.Testing.TestInfrastructure.MigrateAsync(roles, ResourceNames.Databases.Crm, settings,
                builder => builder.AddApplicationServices(), services => services.MigrateDatabaseAsync<CrmDbContext>(ResourceNames.Databases.Crm, cancel));
            await using var crm = await BenchApp.StartAsync("Codex.Crm", settings,
                builder => builder.AddApplicationServices(), app => app.MapCrmEndpoints(), cancel);
            var pipeline = await DefaultPipelineAsync(crm.Address, token, cancel);

            Progress($"seeding {customers} customers and {leads} leads");
            await CrmSeed.CustomersAsync(crmdb, tenant, customers, cancel);
            await CrmSeed.LeadsAsync(crmdb, tenant, pipeline, leads, cancel);
            await ExecuteAsync(crmdb, "VACUUM ANALYZE customers", cancel);
            await ExecuteAsync(crmdb, "VACUUM ANALYZE leads", cancel);
            var matches = await ScalarAsync<long>(crmdb, $"SELECT count(*) FROM customers WHERE search_text LIKE '%{CrmSeed.SearchTerm}%'", cancel);
            var sampleId = await ScalarAsync<Guid>(crmdb, $"SELECT id FROM customers WHERE tenant_id = '{tenant}' ORDER BY id LIMIT 1 OFFSET {customers / 2}", cancel);

            await using var raw = await RawEndpointAsync(crmdb, cancel);
            await using var gateway = await StartGatewayAsync(auth.Address, "crm", crm.Address, cancel);

            var search = $"{gateway.Address}/api/v1/crm/customers?search={Uri.EscapeDataString(CrmSeed.SearchTerm)}&limit=20";
            var exact = $"{gateway.Address}/api/v1/crm/customers?search={Uri.EscapeDataString(CrmSeed.ExactTerm)}&limit=20";
            var leadList = $"{gateway.Address}/api/v1/crm/leads?limit=20";
            var rawRow = $"{raw.Address}/raw/customers/{sampleId}";
            var rawSearch = $"{raw.Address}/raw/customers?search={Uri.EscapeDataString(CrmSeed.SearchTerm)}";
            string[] headers = [$"Authorization: Bearer {token}", $"X-API-Key: {key}"];
            await CheckAsync(search, headers, cancel);
            await CheckAsync(exact, headers, cancel);
            await CheckAsync(leadList, headers, cancel);
            await CheckAsync(rawRow, [], cancel);
            await CheckAsync(rawSearch, [], cancel);

            var warmUp = Math.Max(3, seconds / 3);
            Progress($"warm-up: wrk on the three endpoints, {warmUp} s each");
            await WrkAsync(rawRow, connections, warmUp, [], cancel);
            await WrkAsync(rawSearch, connections, warmUp, [], cancel);
            await WrkAsync(search, connections, warmUp, headers, cancel);
            await WrkAsync(leadList, connections, warmUp, headers, cancel);

            Progress($"wrk: raw single row, raw search SQL, customer search (200 matches, then 1), lead list; {connections} connections, {seconds} s each");
            var rawResult = await WrkAsync(rawRow, connections, seconds, [], cancel);
            var rawSearchResult = await WrkAsync(rawSearch, connections, seconds, [], cancel);
            var searchResult = await WrkAsync(search, connections, seconds, headers, cancel);
            var exactResult = await WrkAsync(exact, connections, seconds, headers, cancel);
            var leadResult = await WrkAsync(leadList, connections, seconds, headers, cancel);
            // Latency at 64 connections on two shared cores is throughput in disguise (p50 ≈ connections / rate);
            // the same search at 8 connections shows what one request costs when the machine is not saturated.
            var lightResult = await WrkAsync(search, LightConnections, seconds, headers, cancel);

            Console.WriteLine($"crm data: {N(customers)} customers, {N(leads)} leads in one tenant; search '{CrmSeed.SearchTerm}' matches {N(matches)} customers (a page of 20)");
            Console.WriteLine($"crm raw single row (Npgsql, no gateway): {N(rawResult.RequestsPerSecond)} requests/s, p50 {rawResult.P50Ms:F2} ms, p99 {rawResult.P99Ms:F2} ms ({rawResult.Errors} errors)");
            Console.WriteLine($"crm raw search (the search's SQL alone: Npgsql, no gateway, auth or EF): {N(rawSearchResult.RequestsPerSecond)} requests/s, p50 {rawSearchResult.P50Ms:F2} ms, p99 {rawSearchResult.P99Ms:F2} ms ({rawSearchResult.Errors} errors)");
            Console.WriteLine($"crm customer search via gateway: {N(searchResult.RequestsPerSecond)} requests/s, p50 {searchResult.P50Ms:F2} ms, p99 {searchResult.P99Ms:F2} ms ({searchResult.Errors} errors)");
            Console.WriteLine($"crm customer search for one email via gateway: {N(exactResult.RequestsPerSecond)} requests/s, p50 {exactResult.P50Ms:F2} ms, p99 {exactResult.P99Ms:F2} ms ({exactResult.Errors} errors)");
            Console.WriteLine($"crm lead list via gateway: {N(leadResult.RequestsPerSecond)} requests/s, p50 {leadResult.P50Ms:F2} ms, p99 {leadResult.P99Ms:F2} ms ({leadResult.Errors} errors)");
            Console.WriteLine($"crm customer search via gateway at {LightConnections} connections: {N(lightResult.RequestsPerSecond)} requests/s, p50 {lightResult.P50Ms:F2} ms, p99 {lightResult.P99Ms:F2} ms ({lightResult.Errors} errors)");
            Console.WriteLine($"crm p50 target <= 15 ms: search {Met(searchResult.P50Ms <= 15)}, one-email search {Met(exactResult.P50Ms <= 15)}, lead list {Met(leadResult.P50Ms <= 15)}");
            Console.WriteLine($"crm search/raw throughput ratio: {searchResult.RequestsPerSecond / rawResult.RequestsPerSecond:F2}");
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", CancellationToken.None);
        }
    }

    /// <summary>
    /// The floors, on a tuned <c>NpgsqlDataSource</c> with no gateway, auth or EF: <c>GET /raw/customers/{id}</c>,
    /// one prepared single-row SELECT, and <c>GET /raw/customers?search=</c>, the search's own SQL (the
    /// statement CRM's query sends, prepared), so the database's share of a search is measured apart.
    /// </summary>
    private static async Task<BenchApp> RawEndpointAsync(string connectionString, CancellationToken cancel)
    {
        var source = NpgsqlDataSource.Create(CodexDbContextDefaults.WithReadDefaults(connectionString)!);
        return await BenchApp.StartAsync("Codex.Benchmarks.Raw", new Dictionary<string, string?>(),
            builder => builder.Services.AddSingleton(source),
            app =>
            {
                app.MapGet("/raw/customers/{id:guid}", async (Guid id, NpgsqlDataSource data, CancellationToken ct) =>
                {
                    await using var command = data.CreateCommand("SELECT id, name, email, company FROM customers WHERE tenant_id = $1 AND id = $2");
                    command.Parameters.Add(new NpgsqlParameter { Value = BenchAuthHost.Tenant });
                    command.Parameters.Add(new NpgsqlParameter { Value = id });
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    return await reader.ReadAsync(ct)
                        ? Results.Ok(new { id = reader.GetGuid(0), name = reader.GetString(1), email = reader.GetString(2), company = reader.GetString(3) })
                        : Results.NotFound();
                });
                app.MapGet("/raw/customers", async (string search, NpgsqlDataSource data, CancellationToken ct) =>
                {
                    await using var command = data.CreateCommand("""
                        SELECT id, tenant_id, name, email, phone, company, status, source, tags, custom_fields, search_text, created_at, updated_at, deleted_at
                        FROM customers WHERE deleted_at IS NULL AND tenant_id = $1 AND search_text LIKE $2 ORDER BY id DESC LIMIT $3
                        """);
                    command.Parameters.Add(new NpgsqlParameter { Value = BenchAuthHost.Tenant });
                    command.Parameters.Add(new NpgsqlParameter { Value = LikePattern.Containing(search.ToLowerInvariant()) });
                    command.Parameters.Add(new NpgsqlParameter { Value = 21 });
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    var rows = new List<object>(21);
                    while (await reader.ReadAsync(ct))
                    {
                        rows.Add(new { id = reader.GetGuid(0), name = reader.GetString(2), email = reader.GetString(3), company = reader.GetString(5) });
                    }
                    return Results.Ok(rows);
                });
            }, cancel);
    }

    private static async Task<Guid> DefaultPipelineAsync(string crm, string token, CancellationToken cancel)
    {
        using var http = new HttpClient { BaseAddress = new Uri(crm) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var pipelines = await http.GetFromJsonAsync<JsonElement>("/api/v1/crm/pipelines", cancel);
        return pipelines.EnumerateArray().Single(p => p.GetProperty("isDefault").GetBoolean()).GetProperty("id").GetGuid();
    }

    /// <summary>One request before the clock runs: it must succeed.</summary>
    internal static async Task CheckAsync(string url, string[] headers, CancellationToken cancel)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var header in headers)
        {
            var (name, value) = (header[..header.IndexOf(':')], header[(header.IndexOf(':') + 1)..].Trim());
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await http.SendAsync(request, cancel);
        var body = await response.Content.ReadAsStringAsync(cancel);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchmarkException($"{url} answered {(int)response.StatusCode}: {body}");
        }
    }

    internal static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancel)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancel);
    }

    internal static async Task<T> ScalarAsync<T>(string connectionString, string sql, CancellationToken cancel)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancel))!;
    }
}
