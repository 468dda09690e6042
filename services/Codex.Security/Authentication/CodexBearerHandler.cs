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

/// <summary>
/// One access token's checks: signature (JWKS), algorithm, issuer, audience, lifetime, tenant.
/// A token that passed is remembered for up to a minute (never past its expiry), keyed by its exact
/// text: a client sends the same token on every call for 15 minutes, and an RSA verify costs ~50 µs
/// here. A tampered token is different text, so it is checked in full; a key withdrawn from the JWKS
/// stops being honoured for cached tokens within the minute.
/// </summary>
public sealed class CodexTokenValidator(TimeProvider clock, TimeSpan? cacheDuration = null)
{
    /// <summary>How long a validated token is trusted without checking it again (zero: never).</summary>
    public TimeSpan CacheDuration { get; } = cacheDuration ?? TimeSpan.FromMinutes(1);
    private const int MaxCachedTokens = 10_000;

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (ClaimsIdentity Identity, DateTimeOffset Until)> _validated = new(StringComparer.Ordinal);

    /// <summary>Validates <paramref name="token"/>; a principal on success, a reason otherwise.</summary>
    public async Task<TokenValidation> ValidateAsync(string token, Microsoft.IdentityModel.Tokens.TokenValidationParameters parameters)
    {
        var now = clock.GetUtcNow();
        if (CacheDuration > TimeSpan.Zero && _validated.TryGetValue(token, out var cached) && now < cached.Until)
        {
            // Each request gets its own copy: handlers may add claims or identities to theirs.
            return new(new ClaimsPrincipal(cached.Identity.Clone()), null);
        }

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

        if (CacheDuration <= TimeSpan.Zero)
        {
            return new(new ClaimsPrincipal(identity), null);
        }
        if (_validated.Count >= MaxCachedTokens)
        {
            _validated.Clear();   // crude but bounded; a refill costs one full check per live token
        }
        var expires = new DateTimeOffset(result.SecurityToken.ValidTo, TimeSpan.Zero);
        _validated[token] = (identity.Clone(), expires < now + CacheDuration ? expires : now + CacheDuration);
        return new(new ClaimsPrincipal(identity), null);
    }
}
