using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Codex.Benchmarks.Auth;
using Codex.Billing.Apis;
using Codex.Billing.Extensions;
using Codex.Billing.Infrastructure;
using Npgsql;
using NpgsqlTypes;
using static Codex.Benchmarks.Crm.CrmBenchmark;
using static Codex.Benchmarks.Figures;
using static Codex.Benchmarks.Gateway.GatewayBenchmark;

namespace Codex.Benchmarks.Billing;

/// <summary>
/// Usage ingest: batches of 100 events POSTed through the gateway with a <c>billing.usage.write</c> key (validated,
/// idempotent, all or nothing, under Billing's row-level security), beside a raw Npgsql insert of the same rows (the
/// same unnest statement, no HTTP, gateway, auth or checks) on as many connections, in one run.
/// </summary>
internal static class BillingBenchmark
{
    private const int Batch = 100;

    public static async Task<int> RunAsync(CancellationToken cancel)
    {
        var seconds = Setting("CODEX_BENCH_BILLING_SECONDS", 10, 3);
        var rounds = Setting("CODEX_BENCH_BILLING_ROUNDS", 3, 1);
        var clients = Setting("CODEX_BENCH_BILLING_CLIENTS", 16, 1);
        await using var auth = await BenchAuthHost.StartAsync("billing", cancel);
        var (token, key) = await auth.AdminWithKeyAsync(cancel, ["billing.usage.write"]);
        const string tenant = BenchAuthHost.Tenant;

        var database = $"bench_billingdb_{Environment.ProcessId}";
        var server = Figures.ConnectionString("postgres");
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", cancel);
        var roles = await Codex.Testing.TestInfrastructure.CreateServiceDatabaseAsync(database, server);
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["ConnectionStrings:billingdb"] = roles.App,
                ["ConnectionStrings:cache"] = Figures.ConnectionString("cache"),
                ["ConnectionStrings:messaging"] = Figures.ConnectionString("messaging"),
                ["services:auth:http:0"] = auth.Address,
                ["EventBus:ServiceName"] = "bench-billing",
                // The migration's SQL on stdout would bury the figures.
                ["Logging:LogLevel:Default"] = "Warning",
                ["ServiceIdentity:Secret"] = Codex.Testing.TestServiceIdentities.Secret(ResourceNames.Services.Billing),
            };
            await Codex.Testing.TestInfrastructure.MigrateAsync(roles, ResourceNames.Databases.Billing, settings,
                builder => builder.AddApplicationServices(), services => services.MigrateDatabaseAsync<BillingDbContext>(ResourceNames.Databases.Billing, cancel));
            await using var billing = await BenchApp.StartAsync("Codex.Billing", settings, builder => builder.AddApplicationServices(), app => app.MapBillingEndpoints(), cancel);

            Progress("a customer (as CRM's event would leave it), a metered plan and a subscription");
            var subscription = await SeedAsync(billing.Address, token, roles.Admin, tenant, cancel);
            await using var gateway = await StartGatewayAsync(auth.Address, "billing", billing.Address, cancel, service: ResourceNames.Services.Billing);

            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = new Uri(gateway.Address) };
            http.DefaultRequestHeaders.Add("X-API-Key", key);
            await using var raw = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(roles.Admin) { MaxPoolSize = clients }.ConnectionString);

            var warmUp = Math.Max(2, seconds / 3);
            Progress($"warm-up: {warmUp} s of each");
            await RunClientsAsync(clients, warmUp, (n, ct) => PostBatchAsync(http, subscription, $"w{n}", ct), cancel);
            await RunClientsAsync(clients, warmUp, (n, ct) => InsertBatchAsync(raw, tenant, subscription, $"rw{n}", ct), cancel);

            // Interleaved rounds: the table grows as it runs, so neither side gets all the small-index time.
            Progress($"measuring: {rounds} rounds of raw Npgsql then the gateway, {clients} clients, batches of {Batch}, {seconds} s each");
            var (rawRates, apiRates) = (new List<double>(), new List<double>());
            Latencies rawBatches = new(), apiBatches = new();
            for (var round = 0; round < rounds; round++)
            {
                rawBatches = await RunClientsAsync(clients, seconds, (n, ct) => InsertBatchAsync(raw, tenant, subscription, $"r{round}-{n}", ct), cancel);
                apiBatches = await RunClientsAsync(clients, seconds, (n, ct) => PostBatchAsync(http, subscription, $"a{round}-{n}", ct), cancel);
                rawRates.Add(rawBatches.Count * Batch / (double)seconds);
                apiRates.Add(apiBatches.Count * Batch / (double)seconds);
                Progress($"round {round + 1}: raw {N(rawRates[^1])}/s, gateway {N(apiRates[^1])}/s");
            }
            var (rawRate, apiRate) = (Median(rawRates), Median(apiRates));
            var ratio = Median(rawRates.Zip(apiRates, (r, a) => a / r));
            Console.WriteLine($"billing data: one subscription on a plan with a usage charge; {clients} clients each sending batches of {Batch} new events; medians of {rounds} rounds");
            Console.WriteLine($"billing raw insert (Npgsql, the same unnest statement, no HTTP): {N(rawRate)} events/s, last round's batch p50 {rawBatches.P(0.5):F2} ms, p99 {rawBatches.P(0.99):F2} ms");
            Console.WriteLine($"billing ingest via gateway (billing.usage.write key, validated, idempotent): {N(apiRate)} events/s, last round's batch p50 {apiBatches.P(0.5):F2} ms, p99 {apiBatches.P(0.99):F2} ms");
            var stored = await ScalarAsync<long>(roles.Admin, "SELECT count(*) FROM usage_records", cancel);
            Console.WriteLine($"billing rows stored: {N(stored)} (every accepted event once)");
            Console.WriteLine($"billing ingest/raw throughput target >= 0.5: {Met(ratio >= 0.5)}");
            Console.WriteLine($"billing ingest/raw throughput ratio: {ratio:F2}");
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", CancellationToken.None);
        }
    }

    private static async Task<Guid> SeedAsync(string billing, string token, string admin, string tenant, CancellationToken cancel)
    {
        var customer = Guid.CreateVersion7();
        await ExecuteAsync(admin, $"INSERT INTO customers (id, tenant_id, name, updated_at) VALUES ('{customer}', '{tenant}', 'Bench customer', now())", cancel);
        using var http = new HttpClient { BaseAddress = new Uri(billing) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        await SendAsync(http, "/api/v1/billing/metrics", new { code = "bytes", name = "Bytes", aggregation = "sum", field = "bytes" }, cancel);
        await SendAsync(http, "/api/v1/billing/plans", new
        {
            code = "metered", name = "Metered", amount = 0m, currency = "EUR", interval = "month",
            charges = new[] { new { metric = "bytes", model = "standard", unitPrice = 0.000001m } },
        }, cancel);
        var subscription = await SendAsync(http, "/api/v1/billing/subscriptions", new { customerId = customer, planCode = "metered" }, cancel);
        return subscription.GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> SendAsync(HttpClient http, string path, object body, CancellationToken cancel)
    {
        using var response = await http.PostAsJsonAsync(path, body, cancel);
        var text = await response.Content.ReadAsStringAsync(cancel);
        return response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.Clone() : throw new BenchmarkException($"{path} answered {(int)response.StatusCode}: {text}");
    }

    private static async Task PostBatchAsync(HttpClient http, Guid subscription, string prefix, CancellationToken cancel)
    {
        var body = new StringBuilder("{\"events\":[", 16_000);
        var at = DateTimeOffset.UtcNow.ToString("O");
        for (var i = 0; i < Batch; i++)
        {
            body.Append(i == 0 ? "" : ",").Append("{\"transactionId\":\"").Append(prefix).Append('-').Append(i).Append("\",\"metric\":\"bytes\",\"subscriptionId\":\"")
                .Append(subscription).Append("\",\"timestamp\":\"").Append(at).Append("\",\"properties\":{\"bytes\":").Append(1000 + i).Append(",\"region\":\"eu-west\"}}");
        }
        body.Append("]}");
        using var content = new StringContent(body.ToString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/api/v1/billing/usage", content, cancel);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchmarkException($"usage ingest answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancel)}");
        }
    }

    private static async Task InsertBatchAsync(NpgsqlDataSource raw, string tenant, Guid subscription, string prefix, CancellationToken cancel)
    {
        await using var command = raw.CreateCommand("""
            INSERT INTO usage_records (id, tenant_id, transaction_id, subscription_id, metric, occurred_at, value, unique_key, properties, received_at)
            SELECT id, $1, transaction_id, $2, 'bytes', $3, value, NULL, properties::jsonb, now()
            FROM unnest($4::uuid[], $5::text[], $6::numeric[], $7::text[]) AS u(id, transaction_id, value, properties)
            ON CONFLICT (tenant_id, transaction_id) DO NOTHING
            """);
        var at = DateTimeOffset.UtcNow;
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter { Value = subscription });
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        command.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Range(0, Batch).Select(_ => Guid.CreateVersion7()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Range(0, Batch).Select(i => $"{prefix}-{i}").ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Range(0, Batch).Select(i => (decimal)(1000 + i)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        command.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Range(0, Batch).Select(i => $"{{\"bytes\":{1000 + i},\"region\":\"eu-west\"}}").ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancel);
    }

    /// <summary>Each client sends batches back to back until the time is up; answers every batch's latency.</summary>
    private static async Task<Latencies> RunClientsAsync(int clients, int seconds, Func<long, CancellationToken, Task> batch, CancellationToken cancel)
    {
        var latencies = new Latencies();
        var end = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
        long counter = 0;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var started = Stopwatch.GetTimestamp();
                await batch(Interlocked.Increment(ref counter), cancel);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        return latencies;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed class Latencies
    {
        private readonly List<double> _values = [];

        public int Count
        {
            get { lock (_values) { return _values.Count; } }
        }

        public void Add(double ms)
        {
            lock (_values)
            {
                _values.Add(ms);
            }
        }

        public double P(double fraction)
        {
            lock (_values)
            {
                return Percentile([.. _values.Order()], fraction);
            }
        }
    }
}
