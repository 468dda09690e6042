using System.Net.Http.Headers;
using System.Text;
using Codex.Auth.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Auth.Apis;

/// <summary>
/// <c>POST /connect/token</c>: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4) for Codex's services,
/// client authentication by HTTP Basic (§2.3.1), the callee in <c>audience</c>. Errors are problem details
/// with the RFC's error codes as <c>code</c>. Not routed by the gateway.
/// </summary>
public static partial class ServiceTokenApi
{
    public const string Path = "/connect/token";

    public static void MapServiceTokenApi(this IEndpointRouteBuilder app) =>
        app.MapPost(Path, IssueAsync).AllowAnonymous().DisableAntiforgery().WithTags("Internal").WithName("ServiceToken")
            .WithSummary("A service's token for calling another service's internal routes (client credentials).");

    public static async Task<Ok<ServiceTokenResponse>> IssueAsync(HttpContext context, ServiceTokenIssuer issuer, ILogger<ServiceTokenIssuer> logger, CancellationToken cancellationToken)
    {
        if (!context.Request.HasFormContentType)
        {
            throw new UnsupportedMediaTypeException("The token request must be application/x-www-form-urlencoded.");
        }
        var form = await context.Request.ReadFormAsync(cancellationToken);
        if (form["grant_type"] != "client_credentials")
        {
            throw new BadRequestException("Only the client_credentials grant is supported.", "unsupported_grant_type");
        }
        if (!TryReadBasic(context.Request.Headers.Authorization, out var clientId, out var secret) || !issuer.Authenticate(clientId, secret))
        {
            LogRefused(logger, clientId is { Length: > 0 } ? clientId : "(none)", context.Connection.RemoteIpAddress?.ToString() ?? "-");
            // RFC 6749 §5.2: a 401 for client authentication names the scheme the client must use.
            throw new UnauthorizedException("The client is not known or its secret is wrong.", "invalid_client") { Challenge = "Basic realm=\"codex\"" };
        }
        string? audience = form["audience"];
        if (string.IsNullOrEmpty(audience) || !issuer.IsValidAudience(audience))
        {
            throw new BadRequestException("audience must name the service to call.", "invalid_target");
        }
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new ServiceTokenResponse(
            await issuer.IssueAsync(clientId, audience, cancellationToken), "Bearer", (int)issuer.Lifetime.TotalSeconds));
    }

    private static bool TryReadBasic(string? header, out string clientId, out string secret)
    {
        (clientId, secret) = ("", "");
        if (!AuthenticationHeaderValue.TryParse(header, out var value)
            || !string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || value.Parameter is null)
        {
            return false;
        }
        Span<byte> decoded = stackalloc byte[value.Parameter.Length];
        if (!Convert.TryFromBase64String(value.Parameter, decoded, out var length))
        {
            return false;
        }
        var pair = Encoding.UTF8.GetString(decoded[..length]);
        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }
        // RFC 6749 §2.3.1: both halves are form-urlencoded before they are joined.
        (clientId, secret) = (Uri.UnescapeDataString(pair[..colon]), Uri.UnescapeDataString(pair[(colon + 1)..]));
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A service token was refused to client {ClientId} from {Address}: unknown client or wrong secret")]
    private static partial void LogRefused(ILogger logger, string clientId, string address);
}

public sealed record ServiceTokenResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn);
