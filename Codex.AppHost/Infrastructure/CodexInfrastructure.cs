using System.Diagnostics;

namespace Codex.AppHost.Infrastructure;

/// <summary>How PostgreSQL, Redis and RabbitMQ run: <c>Codex:Infrastructure</c>.</summary>
public enum InfrastructureMode
{
    /// <summary>Containers when a container engine answers within 2 s, else processes (the default).</summary>
    Auto,

    /// <summary><c>AddPostgres</c>, <c>AddRedis</c>, <c>AddRabbitMQ</c>: what publish mode and azd see.</summary>
    Containers,

    /// <summary>Local processes of the machine's own servers (Debian's packages); the model holds no container.</summary>
    Process,
}

/// <summary>
/// The stack's infrastructure, whichever way it runs: <c>postgres</c> (a database per service), <c>cache</c>
/// and <c>messaging</c>, with the same names and connection-string formats either way.
/// </summary>
public sealed class CodexInfrastructure(
    InfrastructureMode mode,
    Func<string, IResourceBuilder<IResourceWithConnectionString>> addDatabase,
    IResourceBuilder<IResourceWithConnectionString> postgres,
    IResourceBuilder<IResourceWithConnectionString> cache,
    IResourceBuilder<IResourceWithConnectionString> messaging)
{
    public InfrastructureMode Mode { get; } = mode;
    public IResourceBuilder<IResourceWithConnectionString> Postgres { get; } = postgres;
    public IResourceBuilder<IResourceWithConnectionString> Cache { get; } = cache;
    public IResourceBuilder<IResourceWithConnectionString> Messaging { get; } = messaging;

    /// <summary>
    /// A database on <see cref="Postgres"/>, named as the service's connection string, with its two logins: the
    /// owner, which the migrate step signs in as, and the role the service runs as (Codex.Common's DatabaseRoles).
    /// Their passwords are generated; the migrate step makes the roles with them on every run.
    /// </summary>
    public CodexDatabase AddDatabase(string name)
    {
        var database = addDatabase(name);
        return new(name, Postgres, database, Login(database, ResourceNames.Databases.OwnerLogin(name), $"{name}_owner"),
            Login(database, ResourceNames.Databases.AppLogin(name), $"{name}_app"));
    }

    /// <summary>
    /// A RabbitMQ user of its own for each of <paramref name="services"/>, named after it, with a generated
    /// password and the permissions of <see cref="BrokerPermissions.Of"/>; its login is
    /// <c>messaging-&lt;service&gt;</c>. The broker imports them at boot (<see cref="BrokerDefinitions"/>).
    /// </summary>
    public CodexMessaging AddMessagingUsers(params string[] services)
    {
        var builder = Messaging.ApplicationBuilder;
        var server = new EndpointReference((IResourceWithEndpoints)Messaging.Resource, "tcp");
        var logins = new Dictionary<string, IResourceBuilder<ConnectionStringResource>>();
        foreach (var service in services)
        {
            var name = ResourceNames.MessagingLogin(service);
            var password = GeneratedPassword(Messaging, name);
            Messaging.WithAnnotation(new BrokerUserAnnotation(service, password.Resource));
            logins[service] = builder.AddConnectionString(name, ReferenceExpression.Create(
                    $"amqp://{service}:{password.Resource:uri}@{server.Property(EndpointProperty.Host)}:{server.Property(EndpointProperty.Port)}"))
                .WithParentRelationship(Messaging);
        }
        return new(Messaging, logins);
    }

    // A login's password: generated once (a deploy asks for none), letters and digits only, so it needs no
    // escaping in a connection string or the broker's definitions.
    private static IResourceBuilder<ParameterResource> GeneratedPassword(IResourceBuilder<IResourceWithConnectionString> parent, string login) =>
        parent.ApplicationBuilder.AddParameter($"{login}-password", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true)
            .WithParentRelationship(parent);

    private IResourceBuilder<ConnectionStringResource> Login(IResourceBuilder<IResourceWithConnectionString> database, string name, string role)
    {
        var builder = database.ApplicationBuilder;
        var password = GeneratedPassword(database, name);
        var server = new EndpointReference((IResourceWithEndpoints)Postgres.Resource, "tcp");
        return builder.AddConnectionString(name, ReferenceExpression.Create(
                $"Host={server.Property(EndpointProperty.Host)};Port={server.Property(EndpointProperty.Port)};Username={role};Password={password.Resource};Database={database.Resource.Name}"))
            .WithParentRelationship(database);
    }
}

/// <summary>
/// A service's database on its <see cref="Server"/> (whose admin login makes the roles), and its logins:
/// <see cref="Owner"/> for the migrate step, <see cref="App"/> for the service.
/// </summary>
public sealed record CodexDatabase(
    string Name,
    IResourceBuilder<IResourceWithConnectionString> Server,
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<ConnectionStringResource> Owner,
    IResourceBuilder<ConnectionStringResource> App);

public static class CodexInfrastructureExtensions
{
    // Fixed in run mode, so psql, redis-cli and scripts find them (ARCHITECTURE.md); tests randomize.
    private const int PostgresPort = 55432, RedisPort = 56379, RabbitMQPort = 55672;

    public static CodexInfrastructure AddCodexInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var mode = ChooseMode(builder);
        if (mode == InfrastructureMode.Containers)
        {
            // No data volume for throwaway runs (Codex:DataVolumes=false): a developer's data stays untouched.
            var keepData = builder.Configuration["Codex:DataVolumes"] != "false";
            var postgres = builder.AddPostgres(ResourceNames.Postgres).WithArgs("-c", "max_connections=300");
            var cache = builder.AddRedis(ResourceNames.Cache);
            var messaging = builder.AddRabbitMQ(ResourceNames.Messaging).WithBrokerDefinitions();
            if (keepData && builder.ExecutionContext.IsRunMode)
            {
                postgres.WithDataVolume();
                // Console sessions, revocations and attempt counters survive a restart of Redis.
                cache.WithDataVolume().WithPersistence(TimeSpan.FromSeconds(10));
            }
            return new(mode, name => postgres.AddDatabase(name), postgres, cache, messaging);
        }

        var data = LocalServers.DataRoot(builder);
        var processPostgres = builder.AddPostgresProcess(ResourceNames.Postgres, Path.Combine(data, "postgres"),
            LocalServers.Port(builder, "Postgres", PostgresPort));
        return new(
            mode,
            name => processPostgres.AddDatabase(name),
            processPostgres,
            builder.AddRedisProcess(ResourceNames.Cache, Path.Combine(data, "redis"), LocalServers.Port(builder, "Redis", RedisPort)),
            builder.AddRabbitMQProcess(ResourceNames.Messaging, Path.Combine(data, "rabbitmq"), LocalServers.Port(builder, "RabbitMQ", RabbitMQPort)));
    }

    /// <summary>
    /// Publish mode always models containers (azd deploys those). Otherwise <c>Codex:Infrastructure</c>:
    /// <c>containers</c>, <c>process</c>, or <c>auto</c> (default), which asks the container engine for at most 2 s.
    /// </summary>
    public static InfrastructureMode ChooseMode(IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return InfrastructureMode.Containers;
        }
        var setting = builder.Configuration["Codex:Infrastructure"];
        if (string.IsNullOrEmpty(setting))
        {
            setting = nameof(InfrastructureMode.Auto);
        }
        if (!Enum.TryParse<InfrastructureMode>(setting, ignoreCase: true, out var mode) || !Enum.IsDefined(mode))
        {
            throw new InvalidOperationException($"Codex:Infrastructure is '{setting}'; use auto, containers or process.");
        }
        return mode == InfrastructureMode.Auto
            ? ContainerEngineAnswers(builder.Configuration["ASPIRE_CONTAINER_RUNTIME"] ?? "docker") ? InfrastructureMode.Containers : InfrastructureMode.Process
            : mode;
    }

    private static bool ContainerEngineAnswers(string runtime)
    {
        try
        {
            var start = new ProcessStartInfo(runtime) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "info", "--format", "{{.ServerVersion}}" })
            {
                start.ArgumentList.Add(argument);
            }
            using var probe = Process.Start(start);
            if (probe is null)
            {
                return false;
            }
            if (!probe.WaitForExit(TimeSpan.FromSeconds(2)))
            {
                probe.Kill(entireProcessTree: true);
                return false;
            }
            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;   // no such program
        }
    }
}
