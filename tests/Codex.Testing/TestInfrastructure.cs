using Microsoft.Extensions.Configuration;

namespace Codex.Testing;

/// <summary>The test assembly's servers (<see cref="SharedTestServers"/>) and small helpers around them.</summary>
public static class TestInfrastructure
{
    /// <summary>
    /// A connection string of the assembly's shared servers: <c>postgres</c>, <c>cache</c>, <c>messaging</c> (the
    /// broker's admin), or a service's own RabbitMQ login (<see cref="ResourceNames.MessagingLogin"/>).
    /// </summary>
    public static string ConnectionString(string name) =>
        (SharedTestServers.Current ?? throw new InvalidOperationException(
            "The shared test servers are not running: the test assembly needs [assembly: AssemblyFixture(typeof(SharedTestServers))]."))
        .ConnectionString(name);

    /// <summary>The shared broker's login of <paramref name="service"/>'s own user, as the AppHost gives it to the service.</summary>
    public static string MessagingLogin(string service) => ConnectionString(ResourceNames.MessagingLogin(service));

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

    /// <summary>
    /// A service's database as the AppHost's migrate step leaves it: owned by <c>&lt;name&gt;_owner</c>, used by
    /// <c>&lt;name&gt;_app</c> (neither a superuser), with <see cref="ServiceDatabase.Admin"/> for the test's own looks.
    /// </summary>
    public static async Task<ServiceDatabase> CreateServiceDatabaseAsync(string name, string? server = null)
    {
        server ??= ConnectionString(ResourceNames.Postgres);
        string Login(string role) => new Npgsql.NpgsqlConnectionStringBuilder(server)
        {
            Database = name, Username = $"{name}_{role}", Password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
        }.ConnectionString;
        var database = new ServiceDatabase(name, new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, Login("owner"), Login("app"));
        await DatabaseRoles.ProvisionAsync(server, database.Owner, database.App, CancellationToken.None);
        return database;
    }

    /// <summary>
    /// A service's migrate step as the AppHost runs it: the service's own registrations and
    /// <paramref name="settings"/>, signed in as the database's owner, with the app role's login to grant.
    /// </summary>
    public static async Task MigrateAsync(ServiceDatabase database, string connectionName, IDictionary<string, string?> settings,
        Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder> addServices, Func<IServiceProvider, Task> migrate)
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(new Microsoft.AspNetCore.Builder.WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{connectionName}"] = database.Owner,
            [$"ConnectionStrings:{ResourceNames.Databases.AppLogin(connectionName)}"] = database.App,
        });
        builder.AddServiceDefaults();
        addServices(builder);
        await using var app = builder.Build();
        await migrate(app.Services);
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

    /// <inheritdoc cref="Codex.AppHost.Infrastructure.FreePorts.Tcp"/>
    public static int FreeTcpPort() => Codex.AppHost.Infrastructure.FreePorts.Tcp();

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

/// <summary>A service's database: the admin's connection (the test's view), the owner's (migrations) and the app role's (the service).</summary>
public sealed record ServiceDatabase(string Name, string Admin, string Owner, string App);
