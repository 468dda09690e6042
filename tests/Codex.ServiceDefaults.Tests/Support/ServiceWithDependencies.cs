using Codex.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Codex.ServiceDefaults.Tests.Support;

/// <summary>A service wired like a real one: PostgreSQL through EF Core, Redis and RabbitMQ.</summary>
public static class ServiceWithDependencies
{
    public static Task<TestApp> StartAsync(Func<string, string> connectionString, string environment = "Production") =>
        TestApp.StartAsync(
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:authdb"] = connectionString(ResourceNames.Databases.Auth),
                ["ConnectionStrings:cache"] = connectionString(ResourceNames.Cache),
                ["ConnectionStrings:messaging"] = connectionString(ResourceNames.Messaging),
            },
            builder =>
            {
                builder.AddNpgsqlDbContext<SampleDbContext>(ResourceNames.Databases.Auth);
                builder.AddRedisClient(ResourceNames.Cache);
                builder.AddRabbitMQClient(ResourceNames.Messaging);
            },
            environment: environment);
}
