using System.Net;
using System.Text;
using Codex.Testing.Auth;

namespace Codex.Gateway.Tests;

public sealed class LimitsAndFailuresTests(GatewayStack stack) : IClassFixture<GatewayStack>
{
    [Fact]
    public async Task A_body_over_the_routes_limit_is_a_413_problem_and_never_reaches_the_service()
    {
        var tenant = await stack.TenantWithKeyAsync();

        using var small = await stack.SendAsync(HttpMethod.Post, "/api/v1/crm/upload", tenant.Key, content: new StringContent(new string('x', 500), Encoding.UTF8, "text/plain"));
        using var large = await stack.SendAsync(HttpMethod.Post, "/api/v1/crm/upload", tenant.Key, content: new StringContent(new string('x', 5000), Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        await large.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_chunked_body_that_grows_past_the_limit_is_stopped_with_a_413_problem()
    {
        var tenant = await stack.TenantWithKeyAsync();
        var content = new StreamContent(new MemoryStream(new byte[5000]));   // no Content-Length: sent chunked
        content.Headers.ContentType = new("application/octet-stream");

        using var response = await stack.SendAsync(HttpMethod.Post, "/api/v1/crm/upload", tenant.Key, content: new ChunkedContent(content));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    /// <summary>Hides the length, so HttpClient sends the body with chunked transfer encoding.</summary>
    private sealed class ChunkedContent(HttpContent inner) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            inner.Dispose();
            base.Dispose(disposing);
        }
    }

    [Fact]
    public async Task A_service_that_is_down_is_a_503_problem_with_retry_after()
    {
        var tenant = await stack.TenantWithKeyAsync();

        using var response = await stack.SendAsync(HttpMethod.Get, "/api/v1/billing/invoices", tenant.Key);

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "service_unavailable");
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task A_service_slower_than_its_timeout_is_a_504_problem()
    {
        var tenant = await stack.TenantWithKeyAsync();

        using var response = await stack.SendAsync(HttpMethod.Get, "/api/v1/crm/slow", tenant.Key);

        await response.AssertProblemAsync(HttpStatusCode.GatewayTimeout, "gateway_timeout");
    }

    [Fact]
    public async Task A_CORS_preflight_from_a_configured_origin_is_allowed_and_from_another_is_not()
    {
        using var allowed = await Preflight(GatewayStack.ConsoleOrigin);
        using var other = await Preflight("https://evil.example");

        Assert.Equal(GatewayStack.ConsoleOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Every_answer_carries_the_security_headers()
    {
        using var response = await stack.Client.GetAsync("/.well-known/jwks.json");

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(response.Headers.Contains("Strict-Transport-Security"));
    }

    private Task<HttpResponseMessage> Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/crm/echo");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "x-api-key,authorization");
        return stack.Client.SendAsync(request);
    }
}
