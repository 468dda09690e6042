using System.Diagnostics;
using System.Net;
using Codex.ServiceDefaults.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Codex.Testing;

namespace Codex.ServiceDefaults.Tests;

/// <summary>Stops each real dependency under a running service and watches its probes.</summary>
public sealed class DependencyOutageTests(DependencyOutageTests.Servers servers) : IClassFixture<DependencyOutageTests.Servers>
{
    public sealed class Servers : IAsyncLifetime
    {
        public TestServers Infrastructure { get; } = new();

        public ValueTask InitializeAsync() => Infrastructure.InitializeAsync();

        public ValueTask DisposeAsync() => Infrastructure.DisposeAsync();
    }

    [Theory]
    [InlineData(TestServers.Postgres)]
    [InlineData(TestServers.Redis)]
    [InlineData(TestServers.RabbitMQ)]
    public async Task Health_turns_503_within_10_seconds_of_a_dependency_stopping_while_alive_stays_200(string component)
    {
        await using var service = await ServiceWithDependencies.StartAsync(servers.Infrastructure.ConnectionString);
        Assert.True(await IsHealthyWithinAsync(service, TimeSpan.FromSeconds(60)), "the service never became healthy");

        await servers.Infrastructure.StopAsync(component, TestContext.Current.CancellationToken);
        var stopped = Stopwatch.StartNew();
        var unhealthy = await TestInfrastructure.EventuallyAsync(
            async () => await StatusAsync(service, "/health") == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(10));
        var unhealthyAfter = stopped.Elapsed;
        var aliveDuringOutage = await StatusAsync(service, "/alive");
        await servers.Infrastructure.StartAsync(component, TestContext.Current.CancellationToken);

        Assert.True(unhealthy, $"/health still answered 200 10 s after {component} stopped");
        Assert.True(unhealthyAfter < TimeSpan.FromSeconds(10), $"took {unhealthyAfter}");
        Assert.Equal(HttpStatusCode.OK, aliveDuringOutage);
        Assert.True(await IsHealthyWithinAsync(service, TimeSpan.FromSeconds(60)), $"/health did not recover after {component} restarted");
    }

    [Theory]
    [InlineData(TestServers.Redis, DependencyHealthChecks.Redis)]
    [InlineData(TestServers.RabbitMQ, DependencyHealthChecks.RabbitMQ)]
    public async Task A_dependency_the_service_serves_without_makes_it_degraded_not_unhealthy(string component, string check)
    {
        await using var service = await ServiceWithDependencies.StartAsync(servers.Infrastructure.ConnectionString, configure: builder => builder.ServesWithout(check));
        Assert.True(await IsHealthyWithinAsync(service, TimeSpan.FromSeconds(60)), "the service never became healthy");
        Assert.Equal("Healthy", await BodyAsync(service));

        await servers.Infrastructure.StopAsync(component, TestContext.Current.CancellationToken);
        string? during = null;
        var degraded = await TestInfrastructure.EventuallyAsync(async () => (during = await BodyAsync(service)) == "Degraded", TimeSpan.FromSeconds(10));
        var status = await StatusAsync(service, "/health");
        await servers.Infrastructure.StartAsync(component, TestContext.Current.CancellationToken);

        Assert.True(degraded, $"/health answered {during} with {component} stopped");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => await BodyAsync(service) == "Healthy", TimeSpan.FromSeconds(60)),
            $"/health did not return to Healthy after {component} restarted");
    }

    [Fact]
    public async Task A_database_outage_answers_quick_503_problems_and_the_service_recovers_by_itself()
    {
        await using var service = await ServiceWithDependencies.StartAsync(servers.Infrastructure.ConnectionString, map: app =>
            app.MapGet("/value", async (SampleDbContext db) => await db.Database.SqlQuery<int>($"SELECT 42 AS \"Value\"").SingleAsync()));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(service, "/value"));

        await servers.Infrastructure.StopAsync(TestServers.Postgres, TestContext.Current.CancellationToken);
        HttpResponseMessage? during = null;
        var clock = Stopwatch.StartNew();
        try
        {
            during = await service.Client.GetAsync("/value", TestContext.Current.CancellationToken);
        }
        finally
        {
            clock.Stop();
            await servers.Infrastructure.StartAsync(TestServers.Postgres, TestContext.Current.CancellationToken);
        }
        using (during)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
            Assert.Equal("application/problem+json", during.Content.Headers.ContentType?.MediaType);
            Assert.Contains("database_unavailable", await during.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.NotNull(during.Headers.RetryAfter);
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the 503 took {clock.Elapsed}");
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => await StatusAsync(service, "/value") == HttpStatusCode.OK, TimeSpan.FromSeconds(60)),
            "the service did not answer again after PostgreSQL restarted");
    }

    private static Task<bool> IsHealthyWithinAsync(TestApp service, TimeSpan within) =>
        TestInfrastructure.EventuallyAsync(async () => await StatusAsync(service, "/health") == HttpStatusCode.OK, within, TimeSpan.FromMilliseconds(500));

    private static async Task<string> BodyAsync(TestApp service)
    {
        using var response = await service.Client.GetAsync("/health", TestContext.Current.CancellationToken);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<HttpStatusCode> StatusAsync(TestApp service, string path)
    {
        using var response = await service.Client.GetAsync(path, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}
