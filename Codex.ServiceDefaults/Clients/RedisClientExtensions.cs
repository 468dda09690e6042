using Codex.ServiceDefaults.Clients;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>Aspire.StackExchange.Redis's registration, by hand.</summary>
public static class RedisClientExtensions
{
    private const string Section = "Aspire:StackExchange:Redis";

    /// <summary>
    /// A singleton <see cref="IConnectionMultiplexer"/> on <c>ConnectionStrings:&lt;connectionName&gt;</c>
    /// (<c>host:port,password=…</c>) that keeps reconnecting rather than failing at start
    /// (<c>AbortOnConnectFail=false</c>), and a readiness check.
    /// </summary>
    public static void AddRedisClient(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<RedisClientSettings>? configureSettings = null,
        Action<ConfigurationOptions>? configureOptions = null)
    {
        var settings = ClientSettings.Bind<RedisClientSettings>(builder.Configuration, Section, connectionName, connectionName);
        configureSettings?.Invoke(settings);

        builder.Services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var options = ConfigurationOptions.Parse(settings.ConnectionString ?? throw ClientSettings.Missing(connectionName));
            options.AbortOnConnectFail = false;
            configureOptions?.Invoke(options);
            if (options.EndPoints.Count == 0)
            {
                throw new InvalidOperationException($"The connection string '{connectionName}' names no Redis endpoint.");
            }
            var multiplexer = ConnectionMultiplexer.Connect(options);
            // 1.x runs every async completion in order on one thread by default, which turns a busy
            // service's Redis calls into a single-threaded queue; 2.x dropped the setting.
            multiplexer.PreserveAsyncOrder = false;
            return multiplexer;
        });

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                "StackExchange.Redis",
                sp => new RedisHealthCheck(sp),
                failureStatus: HealthStatus.Unhealthy,
                tags: ["ready", "cache"],
                timeout: ClientSettings.HealthCheckTimeout));
        }
    }
}
