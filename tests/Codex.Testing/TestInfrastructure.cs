namespace Codex.Testing;

/// <summary>The servers eng/test.sh starts, as the environment variables it exports describe them.</summary>
public static class TestInfrastructure
{
    public static string ConnectionString(string name) =>
        Environment.GetEnvironmentVariable($"ConnectionStrings__{name}") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"ConnectionStrings__{name} is not set. Run the tests with eng/test.sh, which starts PostgreSQL, Redis and RabbitMQ and exports their connection strings.");

    /// <summary>Creates an empty database on <paramref name="server"/> (default: eng/test.sh's PostgreSQL); returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string name, string? server = null)
    {
        server ??= ConnectionString(ResourceNames.Postgres);
        await using (var connection = new Npgsql.NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>The repository root (eng/test.sh exports it; otherwise found from the test binaries).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        if (Environment.GetEnvironmentVariable("CODEX_REPO_ROOT") is { Length: > 0 } root)
        {
            return root;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Codex.Aspire.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find the repository root (Codex.Aspire.sln) above " + AppContext.BaseDirectory);
    }

    public static int FreeTcpPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; false when <paramref name="within"/> runs out.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (await condition())
            {
                return true;
            }
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(200), CancellationToken.None);
        }
    }
}
