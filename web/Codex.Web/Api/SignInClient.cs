using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Codex.Web.Api;

public sealed record TokenResponse(string AccessToken, string RefreshToken, int ExpiresIn);

public sealed record MeResponse(Guid Id, string TenantId, string Email, bool EmailVerified, bool MfaEnabled,
    IReadOnlyList<string> Roles, IReadOnlyList<string> Permissions, DateTimeOffset? LastLogin);

/// <summary>Auth's sign-in routes through the gateway: the calls made before (or without) a console session.</summary>
public sealed class SignInClient(HttpClient http)
{
    public Task<TokenResponse> LoginAsync(string? tenant, string email, string password, string? mfaCode, CancellationToken cancellationToken) =>
        PostAsync<TokenResponse>("/api/v1/auth/login", new { email, password, tenant, mfaCode }, cancellationToken);

    public Task<TokenResponse> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        PostAsync<TokenResponse>("/api/v1/auth/refresh", new { refreshToken }, cancellationToken);

    public async Task<MeResponse> MeAsync(string accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadAsync<MeResponse>(response, cancellationToken);
    }

    /// <summary>Ends the session at Auth; a session that already ended is fine.</summary>
    public async Task LogoutAsync(string accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/logout");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode && response.StatusCode is not (System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.NotFound))
        {
            throw await ApiProblemException.FromAsync(response, cancellationToken);
        }
    }

    private async Task<T> PostAsync<T>(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(path, body, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        response.IsSuccessStatusCode
            ? await response.Content.ReadFromJsonAsync<T>(cancellationToken) ?? throw new InvalidOperationException("The gateway answered an empty body.")
            : throw await ApiProblemException.FromAsync(response, cancellationToken);
}
