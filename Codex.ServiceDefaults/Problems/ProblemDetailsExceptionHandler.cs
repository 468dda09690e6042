using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Codex.ServiceDefaults.Problems;

/// <summary>The one place where exceptions become RFC 9457 answers.</summary>
internal sealed partial class ProblemDetailsExceptionHandler(
    IProblemDetailsService problemDetails,
    IHostEnvironment environment,
    ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The caller has gone; there is nobody to answer.
            return true;
        }

        // PostgreSQL cannot be reached (stopped, restarting, out of connections) after the few retries: the same quick
        // 503 with Retry-After as any other dependency that is down, not a hang that ends in the gateway's 504.
        if (DatabaseUnreachable(exception))
        {
            exception = new ServiceUnavailableException("The database cannot be reached right now; try again shortly.", "database_unavailable", exception);
        }

        var problem = ToProblem(exception);
        if (exception is ProblemException { Details: { } details })
        {
            foreach (var (name, value) in details)
            {
                problem.Extensions[name] = value;
            }
        }
        if (problem.Status >= 500)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        if (exception is ProblemException { RetryAfterSeconds: { } seconds })
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (exception is UnauthorizedException { Challenge: { } challenge })
        {
            httpContext.Response.Headers.WWWAuthenticate = challenge;
        }
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private ProblemDetails ToProblem(Exception exception) => exception switch
    {
        ValidationException validation => WithCode(
            new HttpValidationProblemDetails(validation.Errors)
            {
                Status = validation.StatusCode,
                Title = validation.Message,
            },
            validation.Code),
        ProblemException known => WithCode(
            new ProblemDetails { Status = known.StatusCode, Title = TitleFor(known.StatusCode), Detail = known.Message },
            known.Code),
        // Kestrel and model binding: unreadable JSON, body too large, missing required parameter.
        BadHttpRequestException bad => WithCode(
            new ProblemDetails { Status = bad.StatusCode, Title = TitleFor(bad.StatusCode), Detail = bad.Message },
            bad.StatusCode == 413 ? "payload_too_large" : "bad_request"),
        // Text PostgreSQL cannot store (a NUL) that no earlier check caught: the statement failed, nothing was written.
        _ when UnstorableText(exception) => WithCode(
            new ProblemDetails { Status = 400, Title = TitleFor(400), Detail = "A value contains a character that cannot be stored (NUL)." },
            InputSafety.Code),
        DbUpdateConcurrencyException => WithCode(
            new ProblemDetails { Status = 409, Title = TitleFor(409), Detail = "The resource was changed by someone else; reload and retry." },
            "concurrency_conflict"),
        // A unique index won a race the service's own check lost: a duplicate, not a server fault.
        DbUpdateException { InnerException: Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation } } => WithCode(
            new ProblemDetails { Status = 409, Title = TitleFor(409), Detail = "A resource with the same unique value already exists." },
            "duplicate"),
        _ => WithCode(
            new ProblemDetails
            {
                Status = 500,
                Title = "An unexpected error occurred.",
                Detail = environment.IsDevelopment() ? exception.ToString() : null,
            },
            "internal_error"),
    };

    private static bool DatabaseUnreachable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.NpgsqlException { IsTransient: true } and not Npgsql.PostgresException || e is Npgsql.PostgresException { SqlState: var state } && IsUnavailable(state))
            {
                return true;
            }
        }
        return false;
    }

    // Connection exceptions (08…), the server shutting down or not yet accepting connections, too many connections.
    private static bool IsUnavailable(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) || state is "57P01" or "57P02" or "57P03" or "53300";

    private static bool UnstorableText(Exception exception) =>
        (exception as Npgsql.PostgresException ?? exception.InnerException as Npgsql.PostgresException) is
        { SqlState: Npgsql.PostgresErrorCodes.CharacterNotInRepertoire or Npgsql.PostgresErrorCodes.UntranslatableCharacter };

    private static ProblemDetails WithCode(ProblemDetails problem, string code)
    {
        problem.Extensions["code"] = code;
        return problem;
    }

    private static string TitleFor(int status) => status switch
    {
        400 => "The request is invalid.",
        404 => "The resource was not found.",
        409 => "The request conflicts with the current state.",
        413 => "The request body is too large.",
        429 => "Too many requests.",
        503 => "The service is unavailable.",
        _ => "The request failed.",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
