namespace Codex.Testing;

/// <summary>The test assembly's servers (<see cref="SharedTestServers"/>) and small helpers around them.</summary>
public static class TestInfrastructure
{
    /// <summary>A connection string of the assembly's shared servers: <c>postgres</c>, <c>cache</c>, <c>messaging</c>.</summary>
    public static string ConnectionString(string name) =>
        (SharedTestServers.Current ?? throw new InvalidOperationException(
            "The shared test servers are not running: the test assembly needs [assembly: AssemblyFixture(typeof(SharedTestServers))]."))
        .ConnectionString(name);

    /// <summary>Creates an empty database on <paramref name="server"/> (default: the shared PostgreSQL); returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string name, string? server = null)
    {
        server ??= ConnectionString(ResourceNames.Postgres);
        // Unpooled: a test may have restarted the server, and a pooled connection would be a dead one.
        await using (var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString))
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
