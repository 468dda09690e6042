using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Codex.ServiceDefaults.Tests.Support;
using Codex.Testing;

namespace Codex.ServiceDefaults.Tests;

/// <summary>Readiness and liveness against the real PostgreSQL, Redis and RabbitMQ that eng/test.sh started.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Health_is_200_with_PostgreSQL_Redis_and_RabbitMQ_up_and_shows_only_the_status_outside_Development()
    {
        await using var service = await ServiceWithDependencies.StartAsync(TestInfrastructure.ConnectionString);

        using var health = await service.Client.GetAsync("/health", TestContext.Current.CancellationToken);
        using var alive = await service.Client.GetAsync("/alive", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task In_Development_health_lists_every_dependency_check()
    {
        await using var service = await ServiceWithDependencies.StartAsync(TestInfrastructure.ConnectionString, "Development");

        var report = await service.Client.GetFromJsonAsync<JsonElement>("/health", TestContext.Current.CancellationToken);

        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        var checks = report.GetProperty("checks");
        foreach (var name in new[] { "self", "SampleDbContext", "StackExchange.Redis", "RabbitMQ.Client" })
        {
            Assert.Equal("Healthy", checks.GetProperty(name).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Health_is_503_and_names_nothing_internal_when_a_dependency_cannot_be_reached()
    {
        var unusedPort = TestInfrastructure.FreeTcpPort();
        await using var service = await ServiceWithDependencies.StartAsync(name => name == ResourceNames.Cache
            ? $"127.0.0.1:{unusedPort},password=x,connectTimeout=500"
            : TestInfrastructure.ConnectionString(name));

        using var health = await service.Client.GetAsync("/health", TestContext.Current.CancellationToken);
        using var alive = await service.Client.GetAsync("/alive", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }
}
