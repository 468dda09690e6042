using System.Net;
using Codex.ServiceDefaults.Tests.Support;
using Codex.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace Codex.ServiceDefaults.Tests;

/// <summary>ServiceDefaults' standard resilience handler on every HttpClient, as Codex configures it.</summary>
public sealed class ResilienceTests
{

    [Fact]
    public async Task A_GET_is_retried_after_transient_failures_and_succeeds()
    {
        var calls = 0;
        await using var flaky = await Downstream.StartAsync(app => app.MapGet("/data", () =>
            Interlocked.Increment(ref calls) <= 2 ? Results.StatusCode(503) : Results.Ok("ok")));
        await using var service = await StartServiceCalling(flaky);

        using var response = await Client(service).GetAsync("/data", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task A_POST_is_never_retried()
    {
        var calls = 0;
        await using var flaky = await Downstream.StartAsync(app => app.MapPost("/orders", () =>
        {
            Interlocked.Increment(ref calls);
            return Results.StatusCode(503);
        }));
        await using var service = await StartServiceCalling(flaky);

        using var response = await Client(service).PostAsync("/orders", new StringContent("{}"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Retries_stop_after_three_and_a_client_error_is_not_retried()
    {
        var failing = 0;
        var badRequests = 0;
        await using var downstream = await Downstream.StartAsync(app =>
        {
            app.MapGet("/down", () =>
            {
                Interlocked.Increment(ref failing);
                return Results.StatusCode(500);
            });
            app.MapGet("/bad", () =>
            {
                Interlocked.Increment(ref badRequests);
                return Results.BadRequest();
            });
        });
        await using var service = await StartServiceCalling(downstream);
        var client = Client(service);

        using var down = await client.GetAsync("/down", TestContext.Current.CancellationToken);
        using var bad = await client.GetAsync("/bad", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, down.StatusCode);
        Assert.Equal(4, failing);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(1, badRequests);
    }

    [Fact]
    public async Task A_slow_attempt_times_out_and_is_retried()
    {
        var calls = 0;
        await using var slow = await Downstream.StartAsync(app => app.MapGet("/slow", async (CancellationToken ct) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), ct);
            }
            return Results.Ok("fast now");
        }));
        await using var service = await StartServiceCalling(slow);

        using var response = await Client(service).GetAsync("/slow", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, calls);
    }

    private static Task<TestApp> StartServiceCalling(Downstream downstream) =>
        TestApp.StartAsync(
            new Dictionary<string, string?> { ["services:inventory:http:0"] = downstream.Url },
            builder =>
            {
                builder.Services.AddHttpClient("inventory", c => c.BaseAddress = new Uri("http://inventory"));
                // The standard handler's policy with shorter waits, so the test takes a second, not a minute.
                builder.Services.ConfigureAll<HttpStandardResilienceOptions>(options =>
                {
                    options.Retry.Delay = TimeSpan.FromMilliseconds(50);
                    options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(1);
                });
            });

    private static HttpClient Client(TestApp service) =>
        service.Services.GetRequiredService<IHttpClientFactory>().CreateClient("inventory");
}
