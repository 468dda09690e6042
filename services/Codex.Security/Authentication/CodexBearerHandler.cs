using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Codex.Security.Authentication;

/// <summary>
/// Validates <c>Authorization: Bearer</c> access tokens from Auth. This is what JwtBearer does, cut to
/// our one token shape: JwtBearer itself cannot be restored here (see the README's decisions).
/// </summary>
public sealed class CodexBearerHandler(
    IOptionsMonitor<CodexBearerOptions> options, ILoggerFactory logger, UrlEncoder encoder, CodexTokenValidator validator)
    : AuthenticationHandler<CodexBearerOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var result = await validator.ValidateAsync(header["Bearer ".Length..].Trim(), Options.ValidationParameters);
        if (result.Principal is null)
        {
            Logger.LogInformation("Bearer token refused: {Reason}", result.Failure);
            return AuthenticateResult.Fail(result.Failure ?? "invalid token");
        }
        return AuthenticateResult.Success(new AuthenticationTicket(result.Principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // RFC 6750: say why, so a client knows to refresh; the problem body comes from status code pages.
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = Context.Request.Headers.Authorization.Count == 0
            ? "Bearer"
            : "Bearer error=\"invalid_token\"";
        return Task.CompletedTask;
    }
}

/// <summary>The outcome of validating one token.</summary>
public readonly record struct TokenValidation(ClaimsPrincipal? Principal, string? Failure);

/// <summary>One access token's checks: signature (JWKS), algorithm, issuer, audience, lifetime, tenant.</summary>
public sealed class CodexTokenValidator
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    /// <summary>Validates <paramref name="token"/>; a principal on success, a reason otherwise.</summary>
    public async Task<TokenValidation> ValidateAsync(string token, Microsoft.IdentityModel.Tokens.TokenValidationParameters parameters)
    {
        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            return new(null, result.Exception?.GetType().Name ?? "invalid token");
        }
        var identity = result.ClaimsIdentity;
        if (string.IsNullOrEmpty(identity.FindFirst(CodexClaims.Tenant)?.Value))
        {
            return new(null, "the token names no tenant");
        }
        if (string.IsNullOrEmpty(identity.FindFirst(CodexClaims.Subject)?.Value))
        {
            return new(null, "the token names no subject");
        }
        return new(new ClaimsPrincipal(identity), null);
    }
}
