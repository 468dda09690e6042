using System.Diagnostics;
using System.Net;
using Codex.ServiceDefaults.Tests.Support;
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

    private static Task<bool> IsHealthyWithinAsync(TestApp service, TimeSpan within) =>
        TestInfrastructure.EventuallyAsync(async () => await StatusAsync(service, "/health") == HttpStatusCode.OK, within, TimeSpan.FromMilliseconds(500));

    private static async Task<HttpStatusCode> StatusAsync(TestApp service, string path)
    {
        using var response = await service.Client.GetAsync(path, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}
