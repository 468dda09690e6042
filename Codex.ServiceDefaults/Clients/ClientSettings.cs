using Microsoft.Extensions.Configuration;

namespace Codex.ServiceDefaults.Clients;

/// <summary>Settings that carry a connection string.</summary>
public interface IConnectionSettings
{
    string? ConnectionString { get; set; }
}

/// <summary>Settings of the EF Core PostgreSQL integration (Aspire's names and sections).</summary>
public sealed class NpgsqlDbContextSettings : IConnectionSettings
{
    public string? ConnectionString { get; set; }
    public bool DisableRetry { get; set; }
    public bool DisableHealthChecks { get; set; }
    public int? CommandTimeout { get; set; }
}

/// <summary>Settings of the Redis integration.</summary>
public sealed class RedisClientSettings : IConnectionSettings
{
    public string? ConnectionString { get; set; }
    public bool DisableHealthChecks { get; set; }
}

/// <summary>Settings of the RabbitMQ integration.</summary>
public sealed class RabbitMQClientSettings : IConnectionSettings
{
    public string? ConnectionString { get; set; }
    public int MaxConnectRetryCount { get; set; } = 5;
    public bool DisableHealthChecks { get; set; }
}

internal static class ClientSettings
{
    /// <summary>Health checks answer within this, so /health turns 503 quickly when a dependency is gone.</summary>
    public static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Binds <paramref name="section"/>, then its subsections named by <paramref name="keys"/>, then lets
    /// <c>ConnectionStrings:&lt;name&gt;</c> win — Aspire's precedence.
    /// </summary>
    public static T Bind<T>(IConfiguration configuration, string section, string connectionName, params string[] keys)
        where T : IConnectionSettings, new()
    {
        var settings = new T();
        configuration.GetSection(section).Bind(settings);
        foreach (var key in keys)
        {
            configuration.GetSection($"{section}:{key}").Bind(settings);
        }
        if (configuration.GetConnectionString(connectionName) is { Length: > 0 } connectionString)
        {
            settings.ConnectionString = connectionString;
        }
        return settings;
    }

    public static InvalidOperationException Missing(string connectionName) => new(
        $"The connection string '{connectionName}' is missing: set ConnectionStrings__{connectionName} " +
        "(the AppHost injects it; eng/infra.sh env prints it for local runs).");
}
