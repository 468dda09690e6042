using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Scalar.AspNetCore;

namespace Codex;

/// <summary>Each service's OpenAPI document and, in Development, Scalar's browsable page over it.</summary>
public static class ApiReference
{
    /// <summary>Where the browsable page is; the AppHost links each resource to it.</summary>
    public const string PagePath = "/scalar";

    /// <summary>
    /// <c>/openapi/v1.json</c> in every environment (the gateway merges the services' documents) and, in
    /// Development, <see cref="PagePath"/>. <paramref name="withDocument"/> false maps only the page, for an
    /// app that serves its own document (the gateway).
    /// </summary>
    public static WebApplication MapApiReference(this WebApplication app, bool withDocument = true)
    {
        if (withDocument)
        {
            app.MapOpenApi();
        }
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(PagePath);
        }
        return app;
    }
}
