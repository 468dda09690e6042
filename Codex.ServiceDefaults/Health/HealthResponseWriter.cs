using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Codex.ServiceDefaults.Health;

/// <summary>Health answers: the status alone, or in Development every check with its error.</summary>
internal static class HealthResponseWriter
{
    /// <summary>The service's version (its informational version), answered on every health response for the registry.</summary>
    private static readonly string Version =
        System.Reflection.Assembly.GetEntryAssembly()?.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";

    public static Func<HttpContext, HealthReport, Task> For(IHostEnvironment environment)
    {
        var write = environment.IsDevelopment() ? (Func<HttpContext, HealthReport, Task>)WriteDetailed : WriteStatus;
        return (context, report) =>
        {
            context.Response.Headers["X-Codex-Version"] = Version;
            return write(context, report);
        };
    }

    private static Task WriteStatus(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(report.Status.ToString());
    }

    private static Task WriteDetailed(HttpContext context, HealthReport report)
    {
        var body = new
        {
            status = report.Status.ToString(),
            totalDurationMs = report.TotalDuration.TotalMilliseconds,
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new
                {
                    status = entry.Value.Status.ToString(),
                    description = entry.Value.Description,
                    durationMs = entry.Value.Duration.TotalMilliseconds,
                    error = entry.Value.Exception?.Message,
                }),
        };
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
