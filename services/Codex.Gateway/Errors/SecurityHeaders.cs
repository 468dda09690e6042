namespace Codex.Gateway.Errors;

/// <summary>Headers every answer carries: nosniff, no framing, a strict referrer policy; HSTS outside Development.</summary>
public static class SecurityHeaders
{
    public static Func<HttpContext, Func<Task>, Task> For(IHostEnvironment environment) => (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (!environment.IsDevelopment())
            {
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }
            return Task.CompletedTask;
        });
        return next();
    };
}
