using Npgsql;
using NpgsqlTypes;

namespace Codex.Benchmarks.Crm;

/// <summary>Bulk rows for the CRM benchmark, written with COPY: customers with realistic names, companies and tags, and leads.</summary>
internal static class CrmSeed
{
    private static readonly string[] First = ["ada", "alan", "grace", "linus", "barbara", "edsger", "margaret", "donald", "frances", "ken", "dennis", "radia", "tim", "katherine", "john", "mary", "james", "sophie", "hedy", "claude"];
    private static readonly string[] Last = ["lovelace", "turing", "hopper", "torvalds", "liskov", "dijkstra", "hamilton", "knuth", "allen", "thompson", "ritchie", "perlman", "berners", "johnson", "mccarthy", "jackson", "gosling", "wilson", "lamarr", "shannon"];
    private static readonly string[] Companies = ["globex", "initech", "hooli", "umbrella", "acme", "stark", "wayne", "wonka", "tyrell", "cyberdyne"];
    private static readonly string[] Tags = ["vip", "partner", "trial", "enterprise", "smb", "churn-risk"];

    /// <summary>The company one in 500 customers has: a search for it matches 200 of 100 000.</summary>
    public const string SearchTerm = "hooli 42";

    /// <summary>Part of one customer's email: the selective search (a person looked up by address).</summary>
    public const string ExactTerm = "ada.ritchie4200@";

    public static async Task CustomersAsync(string connectionString, string tenant, int count, CancellationToken cancel)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancel);
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY customers (id, tenant_id, name, email, phone, company, status, source, tags, custom_fields, search_text, created_at, updated_at) FROM STDIN (FORMAT BINARY)", cancel);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var name = $"{First[i % First.Length]} {Last[i / First.Length % Last.Length]} {i}";
            var email = $"{First[i % First.Length]}.{Last[i / First.Length % Last.Length]}{i}@example.test";
            var company = $"{Companies[i % Companies.Length]} {i / Companies.Length % 50}";
            string[] tags = [Tags[i % Tags.Length]];
            await copy.StartRowAsync(cancel);
            await copy.WriteAsync(Guid.CreateVersion7(now.AddMilliseconds(i - count)), NpgsqlDbType.Uuid, cancel);
            await copy.WriteAsync(tenant, NpgsqlDbType.Varchar, cancel);
            await copy.WriteAsync(name, NpgsqlDbType.Varchar, cancel);
            await copy.WriteAsync(email, NpgsqlDbType.Varchar, cancel);
            await copy.WriteAsync($"+1 555 {i:D7}", NpgsqlDbType.Varchar, cancel);
            await copy.WriteAsync(company, NpgsqlDbType.Varchar, cancel);
            await copy.WriteAsync(i % 7 == 0 ? "prospect" : "active", NpgsqlDbType.Varchar, cancel);
            await copy.WriteAsync(i % 3 == 0 ? "web" : "referral", NpgsqlDbType.Varchar, cancel);
            await copy.WriteAsync(tags, NpgsqlDbType.Array | NpgsqlDbType.Text, cancel);
            await copy.WriteAsync($"{{\"seats\": {i % 100}, \"region\": \"eu-{i % 4}\"}}", NpgsqlDbType.Jsonb, cancel);
            await copy.WriteAsync(string.Join(' ', name, email, company, tags[0]), NpgsqlDbType.Text, cancel);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, cancel);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, cancel);
        }
        await copy.CompleteAsync(cancel);
    }

    public static async Task LeadsAsync(string connectionString, string tenant, Guid pipeline, int count, CancellationToken cancel)
    {
        string[] stages = ["new", "qualified", "proposal", "negotiation"];
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancel);
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY leads (id, tenant_id, title, company, pipeline_id, stage, status, value, currency, probability, stage_entered_at, created_at, updated_at) FROM STDIN (FORMAT BINARY)", cancel);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            await copy.StartRowAsync(cancel);
            await copy.WriteAsync(Guid.CreateVersion7(now.AddMilliseconds(i - count)), NpgsqlDbType.Uuid, cancel);
            await copy.WriteAsync(tenant, NpgsqlDbType.Varchar, cancel);
            await copy.WriteAsync($"Deal {i}", NpgsqlDbType.Varchar, cancel);
            await copy.WriteAsync($"{Companies[i % Companies.Length]} {i % 50}", NpgsqlDbType.Varchar, cancel);
            await copy.WriteAsync(pipeline, NpgsqlDbType.Uuid, cancel);
            await copy.WriteAsync(stages[i % stages.Length], NpgsqlDbType.Varchar, cancel);
            await copy.WriteAsync("open", NpgsqlDbType.Varchar, cancel);
            await copy.WriteAsync((decimal)(1000 + i % 9000), NpgsqlDbType.Numeric, cancel);
            await copy.WriteAsync(i % 2 == 0 ? "EUR" : "USD", NpgsqlDbType.Char, cancel);
            await copy.WriteAsync(10 + i % 80, NpgsqlDbType.Integer, cancel);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, cancel);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, cancel);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, cancel);
        }
        await copy.CompleteAsync(cancel);
    }
}
