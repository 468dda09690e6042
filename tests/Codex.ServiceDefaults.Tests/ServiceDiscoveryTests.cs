using Codex.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Codex.ServiceDefaults.Tests;

/// <summary>
/// Every HttpClient of a service resolves logical names (<c>http://auth</c>) through Microsoft.Extensions.ServiceDiscovery
/// from the AppHost's <c>services__&lt;name&gt;__&lt;scheme&gt;__&lt;index&gt;</c> variables.
/// </summary>
public sealed class ServiceDiscoveryTests
{
    [Fact]
    public async Task An_HttpClient_for_http_auth_reaches_the_URL_in_services__auth__http__0()
    {
        await using var auth = await Downstream.StartAsync(app => app.MapGet("/who", () => "auth-service"));
        // What AddEnvironmentVariables makes of services__auth__http__0.
        await using var service = await ServiceWith(new() { ["services:auth:http:0"] = auth.Url });

        var answer = await Client(service, "http://auth").GetStringAsync("/who", TestContext.Current.CancellationToken);

        Assert.Equal("auth-service", answer);
    }

    [Fact]
    public async Task Requests_are_spread_over_every_endpoint_of_a_service()
    {
        await using var first = await Downstream.StartAsync(app => app.MapGet("/who", () => "first"));
        await using var second = await Downstream.StartAsync(app => app.MapGet("/who", () => "second"));
        await using var service = await ServiceWith(new() { ["services:auth:http:0"] = first.Url, ["services:auth:http:1"] = second.Url });
        var client = Client(service, "http://auth");

        var answers = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            answers.Add(await client.GetStringAsync("/who", TestContext.Current.CancellationToken));
        }

        Assert.Contains("first", answers);
        Assert.Contains("second", answers);
    }

    [Fact]
    public async Task https_plus_http_falls_back_to_http_when_no_https_endpoint_exists()
    {
        await using var auth = await Downstream.StartAsync(app => app.MapGet("/who", () => "auth-service"));
        await using var service = await ServiceWith(new() { ["services:auth:http:0"] = auth.Url });

        var answer = await Client(service, "https+http://auth").GetStringAsync("/who", TestContext.Current.CancellationToken);

        Assert.Equal("auth-service", answer);
    }

    [Fact]
    public async Task An_unknown_service_fails_before_any_request_leaves()
    {
        await using var service = await ServiceWith([]);

        var error = await Assert.ThrowsAnyAsync<Exception>(
            () => Client(service, "http://billing").GetAsync("/plans", TestContext.Current.CancellationToken));

        Assert.Contains("billing", error.ToString());
    }

    private static Task<TestApp> ServiceWith(Dictionary<string, string?> configuration) =>
        TestApp.StartAsync(configuration, builder => builder.Services.AddHttpClient("named"));

    private static HttpClient Client(TestApp service, string baseAddress)
    {
        var client = service.Services.GetRequiredService<IHttpClientFactory>().CreateClient("named");
        client.BaseAddress = new Uri(baseAddress);
        return client;
    }
}
