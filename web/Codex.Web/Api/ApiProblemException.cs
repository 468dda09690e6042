using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Codex.Web.Api;

/// <summary>
/// A refusal from the gateway or a service, read from its problem details (RFC 9457) and worded for a
/// person: the detail or title, and each field's messages. Never the raw JSON or a stack.
/// </summary>
public sealed class ApiProblemException(
    int status, string title, string? detail, string? code, IReadOnlyDictionary<string, string[]> errors, Exception? inner = null)
    : Exception(detail ?? title, inner)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;
    public string? Code { get; } = code;
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>The messages of the field errors, one per line, "field: message".</summary>
    public IEnumerable<string> FieldMessages => Errors.SelectMany(entry => entry.Value.Select(message => $"{entry.Key}: {message}"));

    /// <summary>What a refusal names as standing in its way (items a schema change would break, files' users), one line each.</summary>
    public IReadOnlyList<string> Affected { get; init; } = [];

    public static async Task<ApiProblemException> FromAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var status = (int)response.StatusCode;
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try
            {
                var problem = await response.Content.ReadFromJsonAsync<ProblemBody>(JsonSerializerOptions.Web, cancellationToken);
                if (problem is not null)
                {
                    return new(status, problem.Title ?? Fallback(response.StatusCode), problem.Detail, problem.Code,
                        problem.Errors ?? new Dictionary<string, string[]>())
                    {
                        Affected = [.. (problem.AffectedItems ?? []).Select(a => a.Describe())],
                    };
                }
            }
            catch (JsonException)
            {
                // Not a problem document after all: the fallback below says what happened.
            }
        }
        return new(status, Fallback(response.StatusCode), null, null, new Dictionary<string, string[]>());
    }

    /// <summary>Words for a status that came without a readable body.</summary>
    public static string Fallback(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => "The request was not accepted.",
        HttpStatusCode.Unauthorized => "You are not signed in, or your session has ended.",
        HttpStatusCode.Forbidden => "You do not have permission to do this.",
        HttpStatusCode.NotFound => "It was not found; it may have been removed.",
        HttpStatusCode.Conflict => "It conflicts with the current state; reload and try again.",
        HttpStatusCode.TooManyRequests => "Too many requests; wait a moment and try again.",
        HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout =>
            "A service is not answering right now; try again shortly.",
        _ => $"The request failed ({(int)status}).",
    };

    private sealed record ProblemBody(string? Title, string? Detail, string? Code, Dictionary<string, string[]>? Errors, List<AffectedEntry>? AffectedItems);

    private sealed record AffectedEntry(string? Slug, string? Name, string? Locale, Dictionary<string, string[]>? Errors)
    {
        public string Describe()
        {
            var what = Slug ?? Name ?? "an item";
            var where = Locale is null ? "" : $" ({Locale})";
            var why = Errors is { Count: > 0 } ? ": " + string.Join("; ", Errors.SelectMany(e => e.Value.Select(m => $"{e.Key} {m}"))) : "";
            return $"{what}{where}{why}";
        }
    }
}

/// <summary>The console session cannot be used any more (signed out elsewhere, refresh refused): sign in again.</summary>
public sealed class SessionExpiredException(string message) : Exception(message);
