namespace Codex.Web.Session;

/// <summary>
/// Every redirect the console sends names a path on this site. The cookie handler and Blazor's navigation
/// build absolute URLs from the request's <c>Host</c> header, which the client chooses: a forged Host would
/// send the browser (or a cache that keeps the redirect) to another site. A redirect to this request's own
/// host becomes its path and query; nothing else is touched.
/// </summary>
public static class RelativeRedirects
{
    public static Task RewriteAsync(HttpContext context, RequestDelegate next)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            if (Uri.TryCreate(headers.Location.ToString(), UriKind.Absolute, out var target)
                && target.Scheme is "http" or "https"
                && string.Equals(target.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase))
            {
                headers.Location = target.PathAndQuery + target.Fragment;
            }
            return Task.CompletedTask;
        });
        return next(context);
    }
}
