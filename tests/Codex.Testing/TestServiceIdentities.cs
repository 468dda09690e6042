using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Codex.Testing;

/// <summary>
/// The services' client secrets in tests (the AppHost generates them): Auth knows every Codex service by
/// <see cref="Secret"/>, and each service started in a test gets its own through <see cref="For"/>.
/// </summary>
public static class TestServiceIdentities
{
    public static readonly IReadOnlyList<string> Services =
    [
        ResourceNames.Services.Gateway, ResourceNames.Services.Auth, ResourceNames.Services.Crm, ResourceNames.Services.Cms,
        ResourceNames.Services.Billing, ResourceNames.Services.Analytics, ResourceNames.Services.Notifications, ResourceNames.Services.Platform,
    ];

    public static string Secret(string service) => $"test-identity-{service}-5f0c2a9e41d7";

    /// <summary>Auth's settings: every service as a client.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> AuthClients =>
        Services.Select(service => new KeyValuePair<string, string?>($"Auth:ServiceClients:{service}:Secret", Secret(service)));

    /// <summary>A service's own setting: its secret.</summary>
    public static KeyValuePair<string, string?> For(string service) => new("ServiceIdentity:Secret", Secret(service));

    /// <summary>A token Auth at <paramref name="auth"/> issues to <paramref name="caller"/> for calling <paramref name="audience"/>.</summary>
    public static async Task<string> TokenAsync(Uri auth, string caller, string audience, string? secret = null)
    {
        using var http = new HttpClient { BaseAddress = auth };
        using var response = await RequestTokenAsync(http, caller, secret ?? Secret(caller), audience);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"service token for {caller} → {audience}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>The raw client-credentials request, for tests of the endpoint itself.</summary>
    public static Task<HttpResponseMessage> RequestTokenAsync(HttpClient auth, string caller, string secret, string audience, string grant = "client_credentials")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", grant), new("audience", audience)]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{caller}:{secret}")));
        return auth.SendAsync(request);
    }

    /// <summary>A client for <paramref name="callee"/> at <paramref name="address"/> carrying <paramref name="caller"/>'s token from Auth.</summary>
    public static async Task<HttpClient> ClientAsync(Uri auth, Uri address, string caller, string callee)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(auth, caller, callee));
        return client;
    }
}
