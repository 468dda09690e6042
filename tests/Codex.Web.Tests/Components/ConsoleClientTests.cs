using System.Diagnostics;
using System.Net;
using Codex.Testing;
using Codex.Web.Api;
using Codex.Web.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Codex.Web.Tests.Components;

/// <summary>The console's clients to the gateway, as the console registers them, against a real HTTP server.</summary>
public sealed class ConsoleClientTests
{
    [Fact]
    public async Task Sign_in_calls_name_the_browser_s_address_not_the_console_s()
    {
        await using var gateway = await TestApp.StartAsync(mapEndpoints: app =>
            app.MapPost("/api/v1/auth/login", (HttpContext context) => Results.Problem(statusCode: 401, detail: context.Request.Headers["X-Forwarded-For"].ToString())));
        using var console = ConsoleServices(gateway.Address);
        var accessor = console.GetRequiredService<IHttpContextAccessor>();
        accessor.HttpContext = new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse("198.51.100.7") } };

        var refused = await Assert.ThrowsAsync<ApiProblemException>(() =>
            console.GetRequiredService<SignInClient>().LoginAsync(null, "a@b.test", "wrong-password-here", null, Xunit.TestContext.Current.CancellationToken));

        Assert.Equal("198.51.100.7", refused.Message);
    }

    [Fact]
    public async Task A_503_with_retry_after_reaches_the_page_in_about_a_second_not_fifteen()
    {
        var calls = 0;
        await using var gateway = await TestApp.StartAsync(mapEndpoints: app => app.MapGet("/api/v1/auth/me", (HttpContext context) =>
        {
            Interlocked.Increment(ref calls);
            context.Response.Headers.RetryAfter = "5";
            return Results.Problem(statusCode: 503);
        }));
        using var console = ConsoleServices(gateway.Address);
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<ApiProblemException>(() =>
            console.GetRequiredService<SignInClient>().MeAsync("a-token", Xunit.TestContext.Current.CancellationToken));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
        Assert.Equal(3, calls);   // two quick retries, then the error
    }

    /// <summary>The console's own service registrations, with the gateway at <paramref name="gateway"/>.</summary>
    private static ServiceProvider ConsoleServices(Uri gateway)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Configuration["services:gateway:http:0"] = gateway.ToString().TrimEnd('/');
        builder.Configuration["ConnectionStrings:cache"] = TestInfrastructure.ConnectionString(ResourceNames.Cache);
        builder.AddServiceDefaults();
        builder.AddConsoleServices();
        return builder.Services.BuildServiceProvider();
    }
}
