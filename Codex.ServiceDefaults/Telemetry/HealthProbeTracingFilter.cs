using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;

namespace Codex.ServiceDefaults.Telemetry;

/// <summary>
/// Health probes arrive every few seconds; tracing them buries real traffic. Unrecording the request
/// Activity keeps it (and the checks' database spans beneath it) out of every export.
/// </summary>
internal sealed class HealthProbeTracingFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            var path = context.Request.Path;
            if ((path.StartsWithSegments(Extensions.HealthPath) || path.StartsWithSegments(Extensions.AlivePath))
                && Activity.Current is { } activity)
            {
                activity.IsAllDataRequested = false;
                activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            }
            return nextMiddleware(context);
        });
        next(app);
    };
}
