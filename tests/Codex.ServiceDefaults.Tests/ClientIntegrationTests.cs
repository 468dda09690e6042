using Codex.ServiceDefaults.Tests.Support;
using Codex.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace Codex.ServiceDefaults.Tests;

/// <summary>Codex's registrations on Aspire's client integrations, against the real servers.</summary>
public sealed class ClientIntegrationTests
{
    [Fact]
    public async Task A_tenant_DbContext_is_pooled_handed_each_scope_retries_and_keeps_the_read_defaults()
    {
        await using var service = await ServiceWithDependencies.StartAsync(TestInfrastructure.ConnectionString);

        SampleDbContext first;
        await using (var scope = service.Services.CreateAsyncScope())
        {
            first = scope.ServiceProvider.GetRequiredService<SampleDbContext>();
            var database = await first.Database.SqlQueryRaw<string>("SELECT current_database() AS \"Value\"")
                .SingleAsync(TestContext.Current.CancellationToken);
            Assert.StartsWith("sample_", database);
            Assert.Same(scope.ServiceProvider, first.Scope);
            Assert.True(first.Database.CreateExecutionStrategy().RetriesOnFailure);
            var settings = new NpgsqlConnectionStringBuilder(first.Database.GetConnectionString());
            Assert.Equal(20, settings.MaxAutoPrepare);
            Assert.True(settings.NoResetOnClose);
        }
        await using (var scope = service.Services.CreateAsyncScope())
        {
            var second = scope.ServiceProvider.GetRequiredService<SampleDbContext>();
            Assert.Same(first, second);
            Assert.Same(scope.ServiceProvider, second.Scope);
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
        Assert.StartsWith("amq.gen-", queue.QueueName);
    }

    [Fact]
    public async Task A_missing_connection_string_fails_naming_the_setting()
    {
        await using var service = await TestApp.StartAsync(configureServices: builder =>
            builder.AddTenantDbContext<SampleDbContext>("nosuchdb"));

        await using var scope = service.Services.CreateAsyncScope();
        var error = Assert.Throws<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<SampleDbContext>());

        Assert.Contains("ConnectionStrings:nosuchdb", error.Message);
    }
}
