using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Codex.Benchmarks.Events;

/// <summary>A database of the benchmark's own, with the bus's tables; dropped on dispose.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _server;
    private readonly NpgsqlDataSource _source;

    private BenchDatabase(string server, string name, string connectionString)
    {
        _server = server;
        Name = name;
        ConnectionString = connectionString;
        _source = NpgsqlDataSource.Create(connectionString);
    }

    public string Name { get; }
    public string ConnectionString { get; }

    /// <summary>Creates <c>bench_&lt;random&gt;</c> on <paramref name="server"/> (a connection string without a database).</summary>
    public static async Task<BenchDatabase> CreateAsync(string server, CancellationToken ct)
    {
        var name = $"bench_{Guid.NewGuid():N}"[..14];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        var database = new BenchDatabase(server, name, connectionString);
        try
        {
            var options = new DbContextOptionsBuilder<BenchDbContext>().UseNpgsql(connectionString).Options;
            await using var db = new BenchDbContext(options);
            await db.Database.EnsureCreatedAsync(ct);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
        return database;
    }

    public async Task<string> ServerVersionAsync(CancellationToken ct) =>
        (string)(await _source.CreateCommand("SHOW server_version").ExecuteScalarAsync(ct))!;

    /// <summary>The text PostgreSQL gives back for <paramref name="json"/> stored as jsonb: what the relay publishes.</summary>
    public async Task<string> AsJsonbTextAsync(string json, CancellationToken ct)
    {
        await using var command = _source.CreateCommand("SELECT $1::jsonb::text");
        command.Parameters.Add(new NpgsqlParameter { Value = json });
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var command = _source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Waits until the relay has marked every outbox row sent.</summary>
    public async Task WaitUntilSentAsync(TimeSpan timeout, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await using var pending = _source.CreateCommand("SELECT EXISTS (SELECT 1 FROM outbox_messages WHERE sent_at IS NULL)");
        while ((bool)(await pending.ExecuteScalarAsync(ct))!)
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                await using var count = _source.CreateCommand("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL");
                throw new BenchmarkException($"the relay left {await count.ExecuteScalarAsync(ct)} outbox rows unsent after {timeout.TotalSeconds:0} s");
            }
            await Task.Delay(50, ct);
        }
    }

    /// <summary>
    /// How the relay drained the outbox, from the rows' sent_at: every row of a batch gets the time its
    /// batch was confirmed, so the rows after the first batch were sent in (last − first batch) seconds.
    /// </summary>
    public async Task<SentRows> SentRowsAsync(CancellationToken ct)
    {
        await using var command = _source.CreateCommand("""
            SELECT count(*),
                   count(DISTINCT sent_at),
                   count(*) FILTER (WHERE sent_at = (SELECT min(sent_at) FROM outbox_messages)),
                   coalesce(extract(epoch FROM max(sent_at) - min(sent_at))::float8, 0),
                   coalesce(avg(octet_length(envelope::text))::float8, 0)
            FROM outbox_messages
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new SentRows(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetDouble(3), reader.GetDouble(4));
    }

    /// <summary>
    /// Where the lag of the <paramref name="tenant"/>'s events went, in ms (p50, p99): from occurredAt to the
    /// relay's confirm (sent_at), and from there to the consumer starting on it (the inbox row's handled_at,
    /// taken before the insert). The consumer may start before the relay has its confirm: negative values.
    /// </summary>
    public async Task<LagStages> LagStagesAsync(string tenant, CancellationToken ct)
    {
        await using var command = _source.CreateCommand("""
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY relay),
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY relay),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY consumer),
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY consumer)
            FROM (SELECT extract(epoch FROM o.sent_at - o.occurred_at)::float8 * 1000 AS relay,
                         extract(epoch FROM i.handled_at - o.sent_at)::float8 * 1000 AS consumer
                  FROM outbox_messages o JOIN inbox_messages i ON i.event_id = o.id
                  WHERE o.tenant_id = $1) AS stages
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return reader.IsDBNull(0)
            ? new LagStages(0, 0, 0, 0)
            : new LagStages(reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3));
    }

    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var connection = new NpgsqlConnection(_server);
            await connection.OpenAsync(CancellationToken.None);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            Console.Error.WriteLine($"bench: warning: could not drop database {Name}: {ex.Message}");
        }
    }
}

/// <summary>Rows, distinct batches (sent_at values), rows of the first batch, seconds from the first batch to the last, mean envelope bytes.</summary>
internal sealed record SentRows(long Rows, long Batches, long FirstBatchRows, double Seconds, double MeanBytes);

/// <summary>Lag split in two, ms: occurredAt → relay confirm (p50, p99), relay confirm → consumer start (p50, p99).</summary>
internal sealed record LagStages(double RelayP50, double RelayP99, double ConsumerP50, double ConsumerP99);
