using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Codex.ServiceDefaults.Tests.Support;
using Codex.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Codex.ServiceDefaults.Tests;

public sealed class ProblemDetailsTests
{
    [Fact]
    public async Task A_validation_failure_is_a_400_problem_with_field_errors_and_the_trace_id()
    {
        await using var app = await StartAppWithFailingEndpoints();
        var traceId = ActivityTraceId.CreateRandom().ToHexString();

        var problem = await SendAsync(app, HttpMethod.Post, "/items", traceId);

        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Equal("application/problem+json", problem.ContentType);
        Assert.Equal("validation_failed", problem.Body.GetProperty("code").GetString());
        Assert.Equal(traceId, problem.Body.GetProperty("traceId").GetString());
        var errors = problem.Body.GetProperty("errors");
        Assert.Equal("Name is required.", errors.GetProperty("name")[0].GetString());
        Assert.Equal("Price must be positive.", errors.GetProperty("price")[0].GetString());
    }

    [Theory]
    [InlineData("/missing", HttpStatusCode.NotFound, "not_found")]
    [InlineData("/duplicate", HttpStatusCode.Conflict, "conflict")]
    [InlineData("/no-such-route", HttpStatusCode.NotFound, null)]
    public async Task Known_failures_keep_their_status_and_carry_the_trace_id(string path, HttpStatusCode status, string? code)
    {
        await using var app = await StartAppWithFailingEndpoints();
        var traceId = ActivityTraceId.CreateRandom().ToHexString();

        var problem = await SendAsync(app, HttpMethod.Get, path, traceId);

        Assert.Equal(status, problem.Status);
        Assert.Equal("application/problem+json", problem.ContentType);
        Assert.Equal((int)status, problem.Body.GetProperty("status").GetInt32());
        Assert.Equal(traceId, problem.Body.GetProperty("traceId").GetString());
        if (code is not null)
        {
            Assert.Equal(code, problem.Body.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task An_unexpected_error_is_a_500_without_internals_outside_Development()
    {
        await using var app = await StartAppWithFailingEndpoints("Production");

        var problem = await SendAsync(app, HttpMethod.Get, "/boom", ActivityTraceId.CreateRandom().ToHexString());

        Assert.Equal(HttpStatusCode.InternalServerError, problem.Status);
        Assert.Equal("internal_error", problem.Body.GetProperty("code").GetString());
        Assert.DoesNotContain("secret connection detail", problem.Raw);
        Assert.DoesNotContain("InvalidOperationException", problem.Raw);
        Assert.False(problem.Body.TryGetProperty("detail", out _));
    }

    [Fact]
    public async Task An_unexpected_error_shows_the_exception_in_Development()
    {
        await using var app = await StartAppWithFailingEndpoints("Development");

        var problem = await SendAsync(app, HttpMethod.Get, "/boom", ActivityTraceId.CreateRandom().ToHexString());

        Assert.Equal(HttpStatusCode.InternalServerError, problem.Status);
        Assert.Contains("secret connection detail", problem.Body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Unreadable_JSON_is_a_400_problem()
    {
        await using var app = await StartAppWithFailingEndpoints();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/typed")
        {
            Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"),
        };

        using var response = await app.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.TryGetProperty("traceId", out _));
    }

    [Theory]
    [InlineData("{\"name\":\"a\\u0000b\"}", "/typed", null)]
    [InlineData("{\"name\":\"ok\"}", "/typed?q=a%00b", "invalid_characters")]
    [InlineData("{\"name\":\"a\\u0000b\"}", "/stored", null)]
    public async Task A_nul_character_anywhere_is_a_400_problem_and_never_reaches_the_handler(string json, string path, string? code)
    {
        var reached = 0;
        await using var app = await TestApp.StartAsync(mapEndpoints: app =>
        {
            app.MapPost("/typed", (TypedBody body) => { Interlocked.Increment(ref reached); return Results.Ok(body.Name); });
            // Past the JSON layer (read by hand) the database refuses the NUL; that is a 400 too, not a 500.
            app.MapPost("/stored", async (HttpRequest request) =>
            {
                var text = JsonDocument.Parse(await new StreamReader(request.Body).ReadToEndAsync()).RootElement.GetProperty("name").GetString();
                await using var connection = new Npgsql.NpgsqlConnection(TestInfrastructure.ConnectionString(ResourceNames.Postgres));
                await connection.OpenAsync();
                await using var command = new Npgsql.NpgsqlCommand("SELECT @t::text", connection) { Parameters = { new("t", text) } };
                return Results.Ok(await command.ExecuteScalarAsync());
            });
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };

        using var response = await app.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (code is not null || path == "/stored")
        {
            Assert.Equal("invalid_characters", body.GetProperty("code").GetString());
        }
        Assert.Equal(0, reached);
    }

    private sealed record Problem(HttpStatusCode Status, string? ContentType, JsonElement Body, string Raw);

    private sealed record TypedBody(string Name);

    private static async Task<Problem> SendAsync(TestApp app, HttpMethod method, string path, string traceId)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await app.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var raw = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new Problem(response.StatusCode, response.Content.Headers.ContentType?.MediaType, JsonDocument.Parse(raw).RootElement, raw);
    }

    private static Task<TestApp> StartAppWithFailingEndpoints(string environment = "Production") =>
        TestApp.StartAsync(environment: environment, mapEndpoints: app =>
        {
            app.MapPost("/items", () =>
            {
                throw new ValidationException(new Dictionary<string, string[]>
                {
                    ["name"] = ["Name is required."],
                    ["price"] = ["Price must be positive."],
                });
            });
            app.MapGet("/missing", () => { throw new NotFoundException("Lead 42 does not exist."); });
            app.MapGet("/duplicate", () => { throw new ConflictException("A customer with this email exists."); });
            app.MapGet("/boom", () => { throw new InvalidOperationException("secret connection detail"); });
            app.MapPost("/typed", (TypedBody body) => Results.Ok(body.Name));
        });
}
