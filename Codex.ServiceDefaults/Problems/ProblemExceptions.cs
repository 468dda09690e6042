namespace Codex;

/// <summary>
/// A failure the caller can act on. The exception handler turns it into a problem-details answer
/// with <see cref="StatusCode"/> and the stable <see cref="Code"/>.
/// </summary>
public abstract class ProblemException(string message, int statusCode, string code, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>HTTP status of the answer.</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>Stable machine-readable code, e.g. <c>not_found</c>.</summary>
    public string Code { get; } = code;

    /// <summary>When set, the answer carries <c>Retry-After</c> with this many seconds.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>More members of the answer (what the caller needs to act: the items a change would break).</summary>
    public IReadOnlyDictionary<string, object?>? Details { get; init; }
}

/// <summary>400: the request is invalid; <see cref="Errors"/> maps field names to messages.</summary>
public sealed class ValidationException(IDictionary<string, string[]> errors, string message = "One or more validation errors occurred.")
    : ProblemException(message, 400, "validation_failed")
{
    /// <summary>Field errors, keyed by the field's JSON name.</summary>
    public IDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>One field, one message.</summary>
    public ValidationException(string field, string error) : this(new Dictionary<string, string[]> { [field] = [error] })
    {
    }
}

/// <summary>400 with a code of its own: the request is malformed in a way no field names.</summary>
public sealed class BadRequestException(string message, string code = "bad_request") : ProblemException(message, 400, code);

/// <summary>404: the thing asked for does not exist (for this tenant).</summary>
public sealed class NotFoundException(string message, string code = "not_found") : ProblemException(message, 404, code);

/// <summary>409: the request conflicts with the current state (duplicate, stale version).</summary>
public sealed class ConflictException(string message, string code = "conflict") : ProblemException(message, 409, code);

/// <summary>401: the caller is not (or no longer) authenticated: bad credentials, an invalid token.</summary>
public sealed class UnauthorizedException(string message, string code = "unauthorized") : ProblemException(message, 401, code)
{
    /// <summary>When set, the answer's <c>WWW-Authenticate</c>: how to authenticate (RFC 9110 §11.6.1).</summary>
    public string? Challenge { get; init; }
}

/// <summary>403: the caller is known but may not do this (another tenant, a missing permission, a suspended tenant).</summary>
public sealed class ForbiddenException(string message, string code = "forbidden") : ProblemException(message, 403, code);

/// <summary>413: the body is larger than the caller may send.</summary>
public sealed class PayloadTooLargeException(string message, string code = "payload_too_large") : ProblemException(message, 413, code);

/// <summary>415: the body is not in a format the endpoint reads.</summary>
public sealed class UnsupportedMediaTypeException(string message, string code = "unsupported_media_type") : ProblemException(message, 415, code);

/// <summary>429: the caller must wait before trying again; the answer carries <c>Retry-After</c>.</summary>
public sealed class TooManyRequestsException : ProblemException
{
    public TooManyRequestsException(string message, int retryAfterSeconds, string code = "too_many_requests")
        : base(message, 429, code) => RetryAfterSeconds = retryAfterSeconds;
}

/// <summary>503: a dependency is down; the answer carries <c>Retry-After</c>.</summary>
public sealed class ServiceUnavailableException : ProblemException
{
    public ServiceUnavailableException(string message, string code = "service_unavailable", Exception? inner = null, int retryAfterSeconds = 5)
        : base(message, 503, code, inner) => RetryAfterSeconds = retryAfterSeconds;
}
