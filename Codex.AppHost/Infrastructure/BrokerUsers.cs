using System.Text.Json.Nodes;

namespace Codex.AppHost.Infrastructure;

/// <summary>A service's own RabbitMQ user on the broker it annotates, with the permissions of <see cref="BrokerPermissions.Of"/>.</summary>
public sealed record BrokerUserAnnotation(string Service, ParameterResource Password) : IResourceAnnotation;

/// <summary>The broker and each service's login to it (<c>messaging-&lt;service&gt;</c>).</summary>
public sealed class CodexMessaging(IResourceBuilder<IResourceWithConnectionString> broker, IReadOnlyDictionary<string, IResourceBuilder<ConnectionStringResource>> logins)
{
    public IResourceBuilder<IResourceWithConnectionString> Broker { get; } = broker;

    /// <summary>The login of <paramref name="service"/>; every service that uses the bus has one.</summary>
    public IResourceBuilder<ConnectionStringResource> Login(string service) => logins.TryGetValue(service, out var login)
        ? login
        : throw new InvalidOperationException($"'{service}' has no RabbitMQ user; add it to AddMessagingUsers.");
}

/// <summary>
/// The definitions RabbitMQ imports at every boot (<c>load_definitions</c>): the event bus's exchanges, the admin, and one user per service
/// that may touch only its own names (<see cref="BrokerPermissions"/>). Definitions replace the broker's
/// default user and vhost, so both are in them. No package writes these; RabbitMQ's management plugin would
/// take an HTTP API, a port and seconds of every boot to do at run time what the file does at start.
/// </summary>
public static class BrokerDefinitions
{
    /// <summary>The definitions as JSON with the passwords as parameters: a file's content or a container's environment.</summary>
    public static ReferenceExpression Expression(IResource broker, ReferenceExpression adminUser, ParameterResource adminPassword)
    {
        // Secrets are placeholders in the serialized document, then parameters in the expression; RabbitMQ's
        // and the logins' generated passwords are letters and digits, so they need no JSON escaping.
        var secrets = new List<IManifestExpressionProvider>();
        string Secret(IManifestExpressionProvider value)
        {
            secrets.Add(value);
            return $"@@secret{secrets.Count - 1}@@";
        }
        var users = new JsonArray { User(Secret(adminUser), Secret(adminPassword), "administrator") };
        var permissions = new JsonArray { Permission(Secret(adminUser), ".*", ".*", ".*") };
        var topicPermissions = new JsonArray();
        foreach (var user in broker.Annotations.OfType<BrokerUserAnnotation>())
        {
            var granted = BrokerPermissions.Of(user.Service);
            users.Add(User(user.Service, Secret(user.Password), null));
            permissions.Add(Permission(user.Service, granted.Configure, granted.Write, granted.Read));
            foreach (var topic in granted.Topics)
            {
                topicPermissions.Add(new JsonObject
                {
                    ["user"] = user.Service, ["vhost"] = "/", ["exchange"] = topic.Exchange, ["write"] = topic.Write, ["read"] = topic.Read,
                });
            }
        }
        var document = new JsonObject
        {
            ["vhosts"] = new JsonArray { new JsonObject { ["name"] = "/" } },
            ["exchanges"] = new JsonArray { Exchange(EventBusNames.Exchange), Exchange(EventBusNames.DeadLetterExchange) },
            ["users"] = users,
            ["permissions"] = permissions,
            ["topic_permissions"] = topicPermissions,
        }.ToJsonString();

        var expression = new ReferenceExpressionBuilder();
        // Split keeps the captured indexes at the odd places; no name or pattern has an "@@".
        var parts = System.Text.RegularExpressions.Regex.Split(document, "@@secret([0-9]+)@@");
        for (var i = 0; i < parts.Length; i++)
        {
            if (i % 2 == 0)
            {
                // The builder's literal is a composite-format string: braces are doubled to stay braces.
                expression.AppendLiteral(parts[i].Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));
            }
            else
            {
                AppendValue(expression, secrets[int.Parse(parts[i], System.Globalization.CultureInfo.InvariantCulture)]);
            }
        }
        return expression.Build();
    }

    private static void AppendValue(ReferenceExpressionBuilder expression, IManifestExpressionProvider value)
    {
        switch (value)
        {
            case ParameterResource parameter:
                expression.Append($"{parameter}");
                break;
            case ReferenceExpression reference:
                expression.Append($"{reference}");
                break;
            default:
                throw new InvalidOperationException($"Cannot put {value.GetType().Name} in the broker's definitions.");
        }
    }

    // Topic exchanges both: RabbitMQ checks routing keys per user on topic exchanges only.
    private static JsonObject Exchange(string name) => new()
    {
        ["name"] = name, ["vhost"] = "/", ["type"] = "topic", ["durable"] = true, ["auto_delete"] = false, ["internal"] = false,
        ["arguments"] = new JsonObject(),
    };

    private static JsonObject User(string name, string password, string? tag) => new()
    {
        ["name"] = name,
        ["password"] = password,
        ["tags"] = tag is null ? new JsonArray() : new JsonArray { tag },
    };

    private static JsonObject Permission(string user, string configure, string write, string read) => new()
    {
        ["user"] = user, ["vhost"] = "/", ["configure"] = configure, ["write"] = write, ["read"] = read,
    };
}

public static class BrokerDefinitionsExtensions
{
    private const string DefinitionsVariable = "CODEX_RABBITMQ_DEFINITIONS";

    /// <summary>
    /// Writes the definitions from the environment where the image's configuration (conf.d) loads them, then
    /// runs the image's own entrypoint: an environment variable, not a mounted file, so Azure Container Apps
    /// (which mounts no files from the model) boots the broker with the same users.
    /// </summary>
    private const string LoadDefinitions = """
        set -e
        definitions=/var/lib/rabbitmq/codex-definitions.json
        printf '%s' "$CODEX_RABBITMQ_DEFINITIONS" > "$definitions"
        chmod 600 "$definitions"
        printf 'load_definitions = %s\n' "$definitions" > /etc/rabbitmq/conf.d/90-codex-definitions.conf
        if [ "$(id -u)" = 0 ]; then chown rabbitmq:rabbitmq "$definitions" /etc/rabbitmq/conf.d/90-codex-definitions.conf; fi
        exec docker-entrypoint.sh rabbitmq-server
        """;

    /// <summary>The container broker imports <see cref="BrokerDefinitions"/> at every boot.</summary>
    public static IResourceBuilder<RabbitMQServerResource> WithBrokerDefinitions(this IResourceBuilder<RabbitMQServerResource> broker)
    {
        var server = broker.Resource;
        return broker
            .WithEnvironment(context => context.EnvironmentVariables[DefinitionsVariable] =
                BrokerDefinitions.Expression(server, server.UserNameReference, server.PasswordParameter))
            .WithEntrypoint("/bin/sh")
            .WithArgs("-c", LoadDefinitions);
    }
}
