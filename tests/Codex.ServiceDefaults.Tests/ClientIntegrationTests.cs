using Codex.ServiceDefaults.Tests.Support;
using Codex.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace Codex.ServiceDefaults.Tests;

public sealed class ClientIntegrationTests
{
    [Fact]
    public async Task The_DbContext_is_pooled_retries_transient_failures_and_talks_to_PostgreSQL()
    {
        await using var service = await ServiceWithDependencies.StartAsync(TestInfrastructure.ConnectionString);

        DbContext first;
        await using (var scope = service.Services.CreateAsyncScope())
        {
            first = scope.ServiceProvider.GetRequiredService<SampleDbContext>();
            var database = await first.Database.SqlQueryRaw<string>("SELECT current_database() AS \"Value\"")
                .SingleAsync(TestContext.Current.CancellationToken);
            Assert.Equal("authdb", database);
            Assert.True(first.Database.CreateExecutionStrategy().RetriesOnFailure);
        }
        await using (var scope = service.Services.CreateAsyncScope())
        {
            Assert.Same(first, scope.ServiceProvider.GetRequiredService<SampleDbContext>());
        }
    }

    [Fact]
    public async Task Redis_and_RabbitMQ_clients_are_singletons_connected_to_the_servers()
    {
        await using var service = await ServiceWithDependencies.StartAsync(TestInfrastructure.ConnectionString);
        var key = $"codex-test:{Guid.NewGuid():N}";

        var redis = service.Services.GetRequiredService<IConnectionMultiplexer>();
        await redis.GetDatabase().StringSetAsync(key, "v", TimeSpan.FromMinutes(1));
        var rabbit = service.Services.GetRequiredService<IConnection>();
        await using var channel = await rabbit.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
        var queue = await channel.QueueDeclareAsync(exclusive: true, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Same(redis, service.Services.GetRequiredService<IConnectionMultiplexer>());
        Assert.Equal("v", (string?)await redis.GetDatabase().StringGetAsync(key));
        Assert.Same(rabbit, service.Services.GetRequiredService<IConnection>());
        Assert.Equal("Codex.TestService", rabbit.ClientProvidedName);
        Assert.StartsWith("amq.gen-", queue.QueueName);
    }

    [Fact]
    public async Task A_missing_connection_string_fails_naming_the_variable_to_set()
    {
        await using var service = await TestApp.StartAsync(configureServices: builder =>
            Microsoft.Extensions.Hosting.NpgsqlDbContextExtensions.AddNpgsqlDbContext<SampleDbContext>(builder, "nosuchdb"));

        await using var scope = service.Services.CreateAsyncScope();
        var error = Assert.Throws<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<SampleDbContext>());

        Assert.Contains("ConnectionStrings__nosuchdb", error.Message);
    }
}
