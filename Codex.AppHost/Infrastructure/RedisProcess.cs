using Microsoft.Extensions.DependencyInjection;
namespace Codex.AppHost.Infrastructure;

/// <summary>
/// Redis as a local process of the machine's redis-server, in the shape of Aspire's <c>RedisResource</c>:
/// the same <c>host:port,password=…</c> connection string.
/// </summary>
public sealed class RedisProcessResource(string name, string command, string workingDirectory, ParameterResource password)
    : ProcessServerResource(name, command, workingDirectory, password)
{
    public override ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Host}:{Port},password={PasswordParameter}");
}

public static class RedisProcessBuilderExtensions
{
    /// <summary>
    /// redis-server on 127.0.0.1 with a password, its append-only file in <paramref name="dataDirectory"/>: console
    /// sessions, revocations and attempt counters survive a restart of Redis (fsync once a second; no snapshots).
    /// </summary>
    public static IResourceBuilder<RedisProcessResource> AddRedisProcess(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory, int port)
    {
        var password = LocalServers.Password(builder, name);
        Directory.CreateDirectory(dataDirectory);
        var server = new RedisProcessResource(name, LocalServers.Program("/usr/bin/redis-server", "redis-server"), dataDirectory, password.Resource);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(server, async (_, ct) =>
            connectionString = await server.ConnectionStringExpression.GetValueAsync(ct));
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis(
            _ => connectionString ?? throw new InvalidOperationException("Connection string is unavailable"),
            name: healthCheckKey);

        return builder.AddResource(server)
            .WithEndpoint(port: port, name: ProcessServerResource.PrimaryEndpointName, isProxied: false)
            .WithArgs(context =>
            {
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--port");
                context.Args.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                context.Args.Add("--requirepass");
                context.Args.Add(server.PasswordParameter);
                context.Args.Add("--save");
                context.Args.Add("");
                context.Args.Add("--appendonly");
                context.Args.Add("yes");
                context.Args.Add("--appendfsync");
                context.Args.Add("everysec");
                context.Args.Add("--dir");
                context.Args.Add(dataDirectory);
            })
            .WithIconName("Memory")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }
}
