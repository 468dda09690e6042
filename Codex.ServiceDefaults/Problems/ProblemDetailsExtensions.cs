using System.Diagnostics;
using Codex.ServiceDefaults.Problems;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>One error format for every service: RFC 9457 problem details with the trace id.</summary>
public static class ProblemDetailsExtensions
{
    /// <summary>Problem details for exceptions and empty error responses, each carrying <c>traceId</c>.</summary>
    public static IServiceCollection AddCodexProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // The bare W3C trace id is what the dashboard and log search take.
            context.ProblemDetails.Extensions["traceId"] =
                Activity.Current?.TraceId.ToHexString() ?? context.HttpContext.TraceIdentifier;
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
        });
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        // Registers the validation services; a service must also call AddValidation() in its own project,
        // because the source generator builds validators only for the project whose call it sees.
        services.AddValidation();
        return services;
    }
}
