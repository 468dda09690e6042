using Codex.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Codex.ServiceDefaults.Tests.Support;

/// <summary>A service wired like a real one: a tenant DbContext on a database of its own, Redis and RabbitMQ.</summary>
public static class ServiceWithDependencies
{
    public const string Database = "sampledb";

    /// <summary>
    /// Starts the service on the servers <paramref name="connectionString"/> names (<c>postgres</c>, <c>cache</c>,
    /// <c>messaging</c>), with a fresh database on that PostgreSQL.
    /// </summary>
    public static async Task<TestApp> StartAsync(
        Func<string, string> connectionString, string environment = "Production", Action<WebApplication>? map = null, Action<IHostApplicationBuilder>? configure = null)
    {
        var database = await TestInfrastructure.CreateDatabaseAsync($"sample_{Guid.NewGuid():N}"[..20], connectionString(ResourceNames.Postgres));
        return await TestApp.StartAsync(
            new Dictionary<string, string?>
            {
                [$"ConnectionStrings:{Database}"] = database,
                ["ConnectionStrings:cache"] = connectionString(ResourceNames.Cache),
                ["ConnectionStrings:messaging"] = connectionString(ResourceNames.Messaging),
            },
            builder =>
            {
                builder.AddTenantDbContext<SampleDbContext>(Database);
                builder.AddRedisClient(ResourceNames.Cache);
                builder.AddRabbitMQClient(ResourceNames.Messaging);
                configure?.Invoke(builder);
            },
            mapEndpoints: map,
            environment: environment);
    }
}
