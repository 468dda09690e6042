using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace Codex.AppHost.Infrastructure;

/// <summary>
/// RabbitMQ as a local process of the machine's rabbitmq-server, in the shape of Aspire's
/// <c>RabbitMQServerResource</c>: the same <c>amqp://user:password@host:port</c> connection string.
/// </summary>
public sealed class RabbitMQProcessResource(string name, string command, string workingDirectory, ParameterResource password)
    : ProcessServerResource(name, command, workingDirectory, password)
{
    internal const string User = "guest";

    protected override string UserName => User;

    public override ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://{UserName}:{PasswordParameter:uri}@{Host}:{Port}");
}

public static class RabbitMQProcessBuilderExtensions
{
    private const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    /// <summary>
    /// Erlang starts a shared port mapper (epmd) as a daemon that outlives the broker. Instead the broker gets one
    /// of its own on a port of its own (ERL_EPMD_PORT), started here as its child, so stopping the resource stops
    /// it too (DCP ends what is left of the process tree) and stacks side by side never share one.
    /// </summary>
    private const string WithOwnEpmd = """
        epmd -address 127.0.0.1 &
        until epmd -names > /dev/null 2>&1; do sleep 0.1; done
        exec "$@"
        """;

    /// <summary>
    /// Debian's rabbitmq-server script run directly (not the <c>su</c> wrapper, which hides its log), as the
    /// <c>rabbitmq</c> user when the AppHost is root, logging to the console, every path in
    /// <paramref name="dataDirectory"/>, and a node name and port mapper of its own so several instances live
    /// side by side.
    /// </summary>
    public static IResourceBuilder<RabbitMQProcessResource> AddRabbitMQProcess(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory, int port)
    {
        var password = LocalServers.Password(builder, name);
        var (command, runAs) = LocalServers.RunAs("rabbitmq", "/bin/sh");
        var script = LocalServers.Program(ServerScript, "rabbitmq-server");
        var epmdPort = FreePorts.Tcp();
        var server = new RabbitMQProcessResource(name, command, dataDirectory, password.Resource);
        var configFile = Path.Combine(dataDirectory, "rabbitmq.conf");
        var definitionsFile = Path.Combine(dataDirectory, "definitions.json");

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (_, ct) =>
        {
            Directory.CreateDirectory(Path.Combine(dataDirectory, "home"));
            Directory.CreateDirectory(Path.Combine(dataDirectory, "mnesia"));
            // The users (the admin and one per service) come from definitions imported at every boot.
            var definitions = BrokerDefinitions.Expression(server, ReferenceExpression.Create($"{RabbitMQProcessResource.User}"), password.Resource);
            await File.WriteAllTextAsync(definitionsFile, await definitions.GetValueAsync(ct), ct);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(definitionsFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            await File.WriteAllTextAsync(configFile, $"""
                # Written by the AppHost at every start; edits are lost.
                loopback_users = none
                load_definitions = {definitionsFile}
                """, ct);
            await File.WriteAllTextAsync(Path.Combine(dataDirectory, "enabled_plugins"), "[].", ct);
            LocalServers.Own(dataDirectory, "rabbitmq");
        });

        string? connectionString = null;
        IConnection? connection = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(server, async (_, ct) =>
            connectionString = await server.ConnectionStringExpression.GetValueAsync(ct));
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRabbitMQ(
            async _ => connection ??= await new ConnectionFactory { Uri = new Uri(connectionString!) }.CreateConnectionAsync(),
            name: healthCheckKey);

        return builder.AddResource(server)
            .WithEndpoint(port: port, name: ProcessServerResource.PrimaryEndpointName, env: "RABBITMQ_NODE_PORT", isProxied: false)
            .WithArgs([.. runAs, "-c", WithOwnEpmd, "rabbitmq", script])
            .WithEnvironment(context =>
            {
                var env = context.EnvironmentVariables;
                env["HOME"] = Path.Combine(dataDirectory, "home");
                env["RABBITMQ_NODENAME"] = NodeName(dataDirectory);
                env["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
                env["RABBITMQ_CONFIG_FILE"] = configFile;
                env["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(dataDirectory, "rabbitmq-env.conf");
                env["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(dataDirectory, "enabled_plugins");
                env["RABBITMQ_MNESIA_BASE"] = Path.Combine(dataDirectory, "mnesia");
                env["RABBITMQ_LOG_BASE"] = Path.Combine(dataDirectory, "log");
                // The log goes to the console, which the dashboard shows.
                env["RABBITMQ_LOGS"] = "-";
                // The default (AMQP port + 20 000) may not exist for a high port; any free one will do.
                env["RABBITMQ_DIST_PORT"] = FreePorts.Tcp().ToString(System.Globalization.CultureInfo.InvariantCulture);
                env["ERL_EPMD_ADDRESS"] = "127.0.0.1";
                env["ERL_EPMD_PORT"] = epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
                env["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1} -start_epmd false";
            })
            .WithIconName("Mailbox")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    private static string NodeName(string dataDirectory) =>
        $"codex-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataDirectory)))[..12]}@localhost";
}
