using System.Net;
using System.Net.Http.Headers;

namespace Codex.Security.ServiceIdentity;

/// <summary>
/// Puts this service's token for the callee on each request: the callee named at registration, or per
/// request through <see cref="ServiceTokens.Audience"/>. A 401 means the token went stale (Auth rotated its
/// key or was redeployed with new secrets): the token is fetched again and the request sent once more.
/// </summary>
public sealed class ServiceTokenHandler(ServiceTokenClient tokens, string? audience) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var callee = audience ?? (request.Options.TryGetValue(ServiceTokens.Audience, out var named) ? named : null)
            ?? throw new InvalidOperationException($"The request to {request.RequestUri} names no callee for its service token.");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.TokenForAsync(callee, cancellationToken));
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || request.Content is { } content && !IsReplayable(content))
        {
            return response;
        }
        response.Dispose();
        tokens.Forget(callee);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.TokenForAsync(callee, cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }

    // Buffered bodies and JSON (serialized again) can be sent twice; a stream may already be spent.
    private static bool IsReplayable(HttpContent content) => content is ByteArrayContent or System.Net.Http.Json.JsonContent;
}
