namespace Codex.Web.Api;

/// <summary>
/// Sign-in calls go from the console's server, so the gateway would see one address for every user; this
/// names the browser's instead (<c>X-Forwarded-For</c>), which a gateway that trusts the console
/// (<c>Gateway:TrustedProxies</c>) passes on to Auth's attempt throttle.
/// </summary>
public sealed class ForwardedClientAddress(IHttpContextAccessor http) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (http.HttpContext?.Connection.RemoteIpAddress is { } browser)
        {
            request.Headers.Remove("X-Forwarded-For");
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", browser.ToString());
        }
        return base.SendAsync(request, cancellationToken);
    }
}
