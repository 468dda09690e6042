using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Codex.AppHost.Infrastructure;

/// <summary>
/// PostgreSQL as a local process of the machine's own server (Debian's package), in the shape of Aspire's
/// <c>PostgresServerResource</c>: the same connection string format, databases as child resources.
/// </summary>
public sealed class PostgresProcessResource(string name, string command, string workingDirectory, ParameterResource password)
    : ProcessServerResource(name, command, workingDirectory, password)
{
    /// <summary>The databases to create once the server is ready, by resource name.</summary>
    public IDictionary<string, string> Databases { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    protected override string UserName => "postgres";

    public override ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Host={Host};Port={Port};Username={UserName};Password={PasswordParameter}");
}

/// <summary>One database of a <see cref="PostgresProcessResource"/>, as Aspire's <c>PostgresDatabaseResource</c>.</summary>
public sealed class PostgresProcessDatabaseResource(string name, string databaseName, PostgresProcessResource parent)
    : Resource(name), IResourceWithParent<PostgresProcessResource>, IResourceWithConnectionString
{
    public PostgresProcessResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}

public static class PostgresProcessBuilderExtensions
{
    /// <summary>
    /// Runs the server (its command line follows) and turns the stop signal DCP sends (SIGTERM: PostgreSQL's
    /// smart shutdown, which waits for every client, and services keep pooled connections open) into SIGINT,
    /// PostgreSQL's fast shutdown: open transactions roll back and the server is down within a second.
    /// </summary>
    private const string FastShutdown = """
        trap 'kill -INT "$child" 2>/dev/null' TERM INT
        "$@" &
        child=$!
        wait "$child"; status=$?
        while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done
        exit "$status"
        """;

    /// <summary>
    /// Debian's postgres on 127.0.0.1, its cluster in <paramref name="dataDirectory"/> (made by initdb on first
    /// start, the password kept beside it), run as the <c>postgres</c> user when the AppHost is root.
    /// </summary>
    public static IResourceBuilder<PostgresProcessResource> AddPostgresProcess(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory, int port)
    {
        var bin = LocalServers.PostgresBinDirectory();
        var password = LocalServers.Password(builder, name);
        var (command, runAs) = LocalServers.RunAs("postgres", "/bin/sh");
        var server = new PostgresProcessResource(name, command, dataDirectory, password.Resource);
        var cluster = Path.Combine(dataDirectory, "data");

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (e, ct) =>
        {
            var logger = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            await InitializeClusterAsync(bin, dataDirectory, cluster, await password.Resource.GetValueAsync(ct) ?? "", logger);
        });

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(server, async (_, ct) =>
            connectionString = await server.ConnectionStringExpression.GetValueAsync(ct));
        // As Aspire's PostgreSQL integration: the databases exist once the server is ready.
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (_, ct) =>
        {
            await using var connection = new NpgsqlConnection(connectionString + ";Database=postgres");
            await connection.OpenAsync(ct);
            foreach (var database in server.Databases.Values)
            {
                try
                {
                    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
                    await create.ExecuteNonQueryAsync(ct);
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
                {
                }
            }
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(
            _ => connectionString ?? throw new InvalidOperationException("Connection string is unavailable"),
            name: healthCheckKey,
            configure: connection => connection.ConnectionString += ";Database=postgres;");

        return builder.AddResource(server)
            .WithEndpoint(port: port, name: ProcessServerResource.PrimaryEndpointName, env: "PGPORT", isProxied: false)
            .WithArgs([.. runAs, "-c", FastShutdown, "postgres", Path.Combine(bin, "postgres"),
                "-D", cluster, "-c", "listen_addresses=127.0.0.1", "-k", dataDirectory,
                // eight services' pools outgrow the default (100)
                "-c", "max_connections=300"])
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    /// <summary>A database created on the server once it is ready, with a health check of its own.</summary>
    public static IResourceBuilder<PostgresProcessDatabaseResource> AddDatabase(
        this IResourceBuilder<PostgresProcessResource> builder, string name, string? databaseName = null)
    {
        var database = new PostgresProcessDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.Databases[name] = database.DatabaseName;

        string? connectionString = null;
        builder.ApplicationBuilder.Eventing.Subscribe<ConnectionStringAvailableEvent>(database, async (_, ct) =>
            connectionString = await database.ConnectionStringExpression.GetValueAsync(ct));
        var healthCheckKey = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(
            _ => connectionString ?? throw new InvalidOperationException("Connection string is unavailable"),
            name: healthCheckKey);

        return builder.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "PostgresDatabase", State = KnownResourceStates.NotStarted, Properties = [] })
            .OnInitializeResource((db, e, ct) =>
            {
                _ = FollowServerAsync(db, e.Notifications, e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
                return Task.CompletedTask;
            })
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    // DCP passes a parent's state on to its children for containers only; a database of a process server
    // follows its server here, so WaitFor(database) sees it start, run and stop.
    private static async Task FollowServerAsync(PostgresProcessDatabaseResource database, ResourceNotificationService notifications, CancellationToken ct)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(ct))
            {
                if (update.Resource == database.Parent)
                {
                    await notifications.PublishUpdateAsync(database, snapshot => snapshot with
                    {
                        State = update.Snapshot.State,
                        StartTimeStamp = update.Snapshot.StartTimeStamp,
                        StopTimeStamp = update.Snapshot.StopTimeStamp,
                    });
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private static async Task InitializeClusterAsync(string bin, string home, string cluster, string password, ILogger logger)
    {
        LocalServers.Own(home, "postgres");
        if (File.Exists(Path.Combine(cluster, "PG_VERSION")))
        {
            return;
        }
        if (Directory.Exists(cluster))
        {
            Directory.Delete(cluster, recursive: true);   // an earlier initdb that did not finish
        }
        logger.LogInformation("Creating the cluster in {Cluster}", cluster);
        var passwordFile = Path.Combine(home, "initdb.password");
        await File.WriteAllTextAsync(passwordFile, password);
        try
        {
            LocalServers.Own(home, "postgres");
            var (command, runAs) = LocalServers.RunAs("postgres", Path.Combine(bin, "initdb"));
            LocalServers.Run(command, [.. runAs, "-D", cluster, "-U", "postgres", "--auth=scram-sha-256",
                $"--pwfile={passwordFile}", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], logger);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }
}
