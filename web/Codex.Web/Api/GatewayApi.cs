using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Codex.Web.Session;

namespace Codex.Web.Api;

/// <summary>
/// Calls through the gateway as the signed-in user: their bearer (refreshed as needed), never a key.
/// Refusals arrive as <see cref="ApiProblemException"/>; a token the gateway no longer takes ends the
/// console session (<see cref="SessionExpiredException"/>), and the page sends the user to sign in.
/// </summary>
public sealed class GatewayApi(HttpClient http, SessionTokens tokens)
{
    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken = default)
    {
        using var response = await SendRequestAsync(HttpMethod.Get, path, null, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    public async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken = default)
    {
        using var response = await SendRequestAsync(method, path, body, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    public async Task SendAsync(HttpMethod method, string path, object? body = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendRequestAsync(method, path, body, cancellationToken);
    }

    /// <summary>Posts <paramref name="content"/> as the raw body (an upload), streamed.</summary>
    public async Task<T> UploadAsync<T>(string path, Stream content, CancellationToken cancellationToken = default)
    {
        using var response = await SendRequestAsync(HttpMethod.Post, path, new StreamContent(content), cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    /// <summary>A successful answer as it came (the caller streams and disposes it); refusals as for every call.</summary>
    public Task<HttpResponseMessage> GetRawAsync(string path, CancellationToken cancellationToken = default) =>
        SendRequestAsync(HttpMethod.Get, path, null, cancellationToken, HttpCompletionOption.ResponseHeadersRead);

    private async Task<HttpResponseMessage> SendRequestAsync(
        HttpMethod method, string path, object? body, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.AccessTokenAsync(cancellationToken));
        request.Content = body switch
        {
            null => null,
            HttpContent content => content,
            _ => JsonContent.Create(body, body.GetType()),
        };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            // The socket error means nothing to a reader; it goes to the log through the HTTP client's telemetry.
            throw new ApiProblemException(503, "The gateway cannot be reached right now; try again shortly.", null, "gateway_unreachable",
                new Dictionary<string, string[]>(), ex);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var problem = await ApiProblemException.FromAsync(response, cancellationToken);
            // The gateway checks the token itself: a 401 from it means this session's token is done for.
            if (response.StatusCode == HttpStatusCode.Unauthorized && problem.Code is "invalid_token" or "tenant_unknown" or null)
            {
                await tokens.EndAsync();
                throw new SessionExpiredException(problem.Message);
            }
            throw problem;
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<T>(cancellationToken) ?? throw new InvalidOperationException("The gateway answered an empty body.");
}
