using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Options;

namespace Codex.Security.ServiceIdentity;

/// <summary>
/// Fetches this service's client-credentials tokens from Auth, one per audience, and reuses each until
/// <see cref="ServiceIdentityOptions.RenewAt"/> of its lifetime has passed. One fetch per audience at a time.
/// </summary>
public sealed class ServiceTokenClient(IHttpClientFactory http, IOptions<ServiceIdentityOptions> options, TimeProvider clock)
{
    public const string HttpClientName = "codex-service-tokens";

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<string> TokenForAsync(string audience, CancellationToken cancellationToken)
    {
        var entry = _entries.GetOrAdd(audience, _ => new Entry());
        if (entry.Fresh(clock.GetUtcNow()) is { } token)
        {
            return token;
        }
        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            if (entry.Fresh(clock.GetUtcNow()) is { } fetched)
            {
                return fetched;
            }
            var answer = await FetchAsync(audience, cancellationToken);
            var lifetime = TimeSpan.FromSeconds(answer.ExpiresIn * options.Value.RenewAt);
            entry.Set(new Issued(answer.AccessToken, clock.GetUtcNow() + lifetime));
            return answer.AccessToken;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Drops a token the callee refused (a key rotated, Auth restarted with new secrets): the next call fetches anew.</summary>
    public void Forget(string audience)
    {
        if (_entries.TryGetValue(audience, out var entry))
        {
            entry.Set(null);
        }
    }

    private async Task<TokenAnswer> FetchAsync(string audience, CancellationToken cancellationToken)
    {
        var identity = options.Value;
        if (string.IsNullOrEmpty(identity.Name) || string.IsNullOrEmpty(identity.Secret))
        {
            throw new InvalidOperationException(
                $"This service has no identity to call '{audience}' with: set {ServiceIdentityOptions.Section}:Secret (the AppHost does).");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, identity.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("audience", audience)]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(identity.Name)}:{Uri.EscapeDataString(identity.Secret)}")));
        using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"Auth refused a token for '{identity.Name}' to call '{audience}' ({(int)response.StatusCode}).", null, response.StatusCode);
        }
        return await response.Content.ReadFromJsonAsync<TokenAnswer>(cancellationToken)
            ?? throw new HttpRequestException("Auth answered an empty token response.");
    }

    private sealed record TokenAnswer(
        [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn);

    private sealed record Issued(string Token, DateTimeOffset Until);

    private sealed class Entry
    {
        // Swapped whole, so a reader sees a token with its own expiry or nothing.
        private volatile Issued? _issued;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public string? Fresh(DateTimeOffset now) => _issued is { } issued && now < issued.Until ? issued.Token : null;

        public void Set(Issued? issued) => _issued = issued;
    }
}
