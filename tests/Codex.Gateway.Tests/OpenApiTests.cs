using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Codex.Gateway.Tests;

public sealed partial class OpenApiTests(GatewayStack stack) : IClassFixture<GatewayStack>
{
    [Fact]
    public async Task The_gateway_merges_each_services_document_under_its_prefix_with_every_reference_resolvable()
    {
        using var response = await stack.Client.GetAsync("/openapi/v1.json");
        var text = await response.Content.ReadAsStringAsync();
        var document = JsonDocument.Parse(text).RootElement;

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/auth/login", paths);
        Assert.Contains("/api/v1/auth/users", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/internal", StringComparison.Ordinal));
        var schemas = document.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(s => s.Name).ToHashSet();
        Assert.Contains("auth.LoginRequest", schemas);
        var references = Reference().Matches(text).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(references);
        Assert.All(references, name => Assert.Contains(name, schemas));
        // The test's downstream "crm" serves no document: it is listed, not fatal.
        Assert.Contains("crm", document.GetProperty("x-codex-unavailable").EnumerateArray().Select(e => e.GetString()));
    }

    [GeneratedRegex("\"#/components/schemas/([^\"]+)\"")]
    private static partial Regex Reference();
}
