using System.Diagnostics;
using System.Net.Sockets;
using Codex.ServiceDefaults.Clients;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly;
using Polly.Retry;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Microsoft.Extensions.Hosting;

/// <summary>Aspire.RabbitMQ.Client's registration, by hand.</summary>
public static class RabbitMQClientExtensions
{
    private const string Section = "Aspire:RabbitMQ:Client";
    private static readonly ActivitySource Source = new("Codex.RabbitMQ.Client");

    /// <summary>
    /// Singleton <see cref="IConnectionFactory"/> and <see cref="IConnection"/> on
    /// <c>ConnectionStrings:&lt;connectionName&gt;</c> (<c>amqp://user:pass@host:port</c>). The first
    /// connect retries with exponential backoff; afterwards the client's automatic recovery reconnects.
    /// </summary>
    public static void AddRabbitMQClient(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<RabbitMQClientSettings>? configureSettings = null,
        Action<ConnectionFactory>? configureConnectionFactory = null)
    {
        var settings = ClientSettings.Bind<RabbitMQClientSettings>(builder.Configuration, Section, connectionName, connectionName);
        configureSettings?.Invoke(settings);
        var clientName = builder.Environment.ApplicationName;

        builder.Services.AddSingleton<IConnectionFactory>(_ =>
        {
            var factory = new ConnectionFactory
            {
                Uri = new Uri(settings.ConnectionString ?? throw ClientSettings.Missing(connectionName)),
                ClientProvidedName = clientName,
                AutomaticRecoveryEnabled = true,
                TopologyRecoveryEnabled = true,
                NetworkRecoveryInterval = TimeSpan.FromSeconds(2),
            };
            configureConnectionFactory?.Invoke(factory);
            return factory;
        });
        builder.Services.AddSingleton(sp => Connect(sp.GetRequiredService<IConnectionFactory>(), settings.MaxConnectRetryCount));

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                "RabbitMQ.Client",
                sp => new RabbitMQHealthCheck(sp),
                failureStatus: HealthStatus.Unhealthy,
                tags: ["ready", "messaging"],
                timeout: ClientSettings.HealthCheckTimeout));
        }
    }

    // Singletons are built synchronously; blocking once at first use is what Aspire's integration does too.
    private static IConnection Connect(IConnectionFactory factory, int maxRetries)
    {
        var retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromSeconds(1),
                ShouldHandle = new PredicateBuilder().Handle<SocketException>().Handle<BrokerUnreachableException>(),
            })
            .Build();

        using var connect = Source.StartActivity("rabbitmq connect");
        connect?.SetTag("messaging.system", "rabbitmq");
        return retry.ExecuteAsync(static async (f, ct) =>
        {
            using var attempt = Source.StartActivity("rabbitmq connect attempt");
            return await f.CreateConnectionAsync(ct);
        }, factory).AsTask().GetAwaiter().GetResult();
    }
}
