using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Codex.Gateway.Errors;

/// <summary>
/// What YARP reports when a service cannot answer becomes problem details: nothing listening (or no
/// address configured) is 503 with Retry-After, no answer in time is 504, anything else is 502. A
/// service's own error answers pass through untouched.
/// </summary>
public static class DownstreamErrors
{
    public static async Task TranslateAsync(HttpContext context, RequestDelegate next)
    {
        await next(context);
        var error = context.GetForwarderErrorFeature();
        if (error is null || context.Response.HasStarted)
        {
            return;
        }
        var service = context.GetReverseProxyFeature().Route.Config.ClusterId;
        var retryAfter = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.RetryAfterSeconds;
        var (status, code, detail) = error.Error switch
        {
            ForwarderError.NoAvailableDestinations or ForwarderError.Request when IsConnectionFailure(error.Exception) =>
                (503, "service_unavailable", $"The {service} service is not reachable; try again shortly."),
            ForwarderError.RequestTimedOut => (504, "gateway_timeout", $"The {service} service did not answer in time."),
            _ when TooLarge(error.Exception) =>
                (413, "payload_too_large", "The request body is larger than this route's limit."),
            ForwarderError.RequestCanceled => (499, "client_closed_request", "The request was canceled by the client."),
            _ => (502, "bad_gateway", $"The {service} service failed to answer properly."),
        };
        if (status == 499)
        {
            return;
        }
        context.Response.Clear();
        if (status == 503)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await context.WriteProblemAsync(status, code, "The service could not answer.", detail);
    }

    private static bool TooLarge(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsConnectionFailure(Exception? exception) =>
        exception is HttpRequestException { InnerException: System.Net.Sockets.SocketException } or HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };
}
