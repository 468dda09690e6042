namespace Codex.Gateway.Errors;

/// <summary>Headers every answer carries: nosniff, no framing, a strict referrer policy; HSTS outside Development.</summary>
public static class SecurityHeaders
{
    public static Func<HttpContext, RequestDelegate, Task> For(IHostEnvironment environment)
    {
        // Static callbacks with the context as state: nothing is allocated per request for them.
        Func<object, Task> stamp = environment.IsDevelopment() ? static state => Stamp(state, hsts: false) : static state => Stamp(state, hsts: true);
        return (context, next) =>
        {
            context.Response.OnStarting(stamp, context);
            return next(context);
        };
    }

    private static Task Stamp(object state, bool hsts)
    {
        var headers = ((HttpContext)state).Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (hsts)
        {
            headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
        }
        return Task.CompletedTask;
    }
}
