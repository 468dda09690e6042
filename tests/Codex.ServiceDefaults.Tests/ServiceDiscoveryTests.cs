using Codex.ServiceDefaults.ServiceDiscovery;
using Codex.ServiceDefaults.Tests.Support;
using Codex.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Codex.ServiceDefaults.Tests;

public sealed class ServiceDiscoveryTests
{
    [Fact]
    public async Task An_HttpClient_for_http_auth_reaches_the_URL_in_services__auth__http__0()
    {
        await using var auth = await Downstream.StartAsync(app => app.MapGet("/who", () => "auth-service"));
        await using var service = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["services:auth:http:0"] = auth.Url },
            builder => builder.Services.AddHttpClient("auth", c => c.BaseAddress = new Uri("http://auth")));

        var client = service.Services.GetRequiredService<IHttpClientFactory>().CreateClient("auth");
        var answer = await client.GetStringAsync("/who", TestContext.Current.CancellationToken);

        Assert.Equal("auth-service", answer);
    }

    [Fact]
    public void The_environment_variable_form_is_read_exactly_as_the_AppHost_writes_it()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // What AddEnvironmentVariables makes of services__auth__http__0.
            ["services:auth:http:0"] = "http://127.0.0.1:5101",
            ["CRM_HTTP"] = "http://127.0.0.1:5102",
        }).Build();
        var resolver = new ServiceEndpointResolver(configuration);

        Assert.Equal(new Uri("http://127.0.0.1:5101/api/v1/auth/me?x=1"), resolver.Resolve(new Uri("http://auth/api/v1/auth/me?x=1")));
        Assert.Equal(new Uri("http://127.0.0.1:5102/leads"), resolver.Resolve(new Uri("http://crm/leads")));
    }

    [Fact]
    public void Several_endpoints_are_used_in_turn()
    {
        var resolver = new ServiceEndpointResolver(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:auth:http:0"] = "http://127.0.0.1:7001",
            ["services:auth:http:1"] = "http://127.0.0.1:7002",
        }).Build());

        var ports = Enumerable.Range(0, 4).Select(_ => resolver.Resolve(new Uri("http://auth/")).Port).ToList();

        Assert.Equal([7001, 7002, 7001, 7002], ports);
    }

    [Fact]
    public void https_plus_http_prefers_https_and_falls_back_to_http()
    {
        var httpOnly = new ServiceEndpointResolver(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:auth:http:0"] = "http://127.0.0.1:7001",
        }).Build());
        var both = new ServiceEndpointResolver(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:auth:http:0"] = "http://127.0.0.1:7001",
            ["services:auth:https:0"] = "https://127.0.0.1:7443",
        }).Build());

        Assert.Equal("http://127.0.0.1:7001/", httpOnly.Resolve(new Uri("https+http://auth/")).ToString());
        Assert.Equal("https://127.0.0.1:7443/", both.Resolve(new Uri("https+http://auth/")).ToString());
    }

    [Fact]
    public async Task An_unknown_service_fails_with_an_error_naming_the_variable_to_set()
    {
        await using var service = await TestApp.StartAsync(
            configureServices: builder => builder.Services.AddHttpClient("billing", c => c.BaseAddress = new Uri("http://billing")));
        var client = service.Services.GetRequiredService<IHttpClientFactory>().CreateClient("billing");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => client.GetAsync("/plans", TestContext.Current.CancellationToken));

        Assert.Contains("services__billing__http__0", error.Message);
        Assert.Contains("BILLING_HTTP", error.Message);
    }

    [Theory]
    [InlineData("localhost", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("auth.internal.example", false)]
    [InlineData("auth", true)]
    [InlineData("notifications", true)]
    public void Only_single_label_names_are_resolved(string host, bool logical) =>
        Assert.Equal(logical, ServiceEndpointResolver.IsLogicalName(host));
}
