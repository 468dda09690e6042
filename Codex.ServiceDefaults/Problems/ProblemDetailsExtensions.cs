using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Codex.ServiceDefaults.Problems;

namespace Codex;

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
            // Field errors name fields as the JSON does (camelCase), whichever validator found them:
            // the validation generator reports the C# property name.
            if (context.ProblemDetails is Microsoft.AspNetCore.Http.HttpValidationProblemDetails validation
                && validation.Errors.Keys.Any(key => key.Length > 0 && char.IsUpper(key[0])))
            {
                var camelCased = validation.Errors.ToDictionary(e => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(e.Key), e => e.Value);
                validation.Errors.Clear();
                foreach (var (key, value) in camelCased)
                {
                    validation.Errors[key] = value;
                }
            }
        });
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        // Registers the validation services; a service must also call AddValidation() in its own project,
        // because the source generator builds validators only for the project whose call it sees.
        services.AddValidation();
        return services;
    }

    /// <summary>
    /// Answers a problem in place, for middleware that must not throw (headers it set would be cleared
    /// by the exception handler): the status, a title, the stable <c>code</c>, and a detail.
    /// </summary>
    public static Task WriteProblemAsync(this Microsoft.AspNetCore.Http.HttpContext context, int status, string code, string title, string? detail)
    {
        context.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["code"] = code;
        return context.RequestServices.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>()
            .WriteAsync(new Microsoft.AspNetCore.Http.ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).AsTask();
    }
}
