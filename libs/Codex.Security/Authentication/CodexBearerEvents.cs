using Codex.Security.Revocation;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Codex.Security.Authentication;

/// <summary>
/// JwtBearer's events for Codex tokens: a remembered token skips validation; a validated one must name a
/// tenant and a subject, and is then remembered.
/// </summary>
public sealed class CodexBearerEvents : JwtBearerEvents
{
    private const string BearerPrefix = "Bearer ";
    private const string RevokedMessage = "the token has been revoked (its session ended or its tenant is suspended)";

    private static bool Revoked(Microsoft.AspNetCore.Http.HttpContext context, System.Security.Claims.ClaimsIdentity identity)
    {
        var reason = context.RequestServices.GetService<RevokedTokens>()?.Check(identity) ?? RevokedBecause.Nothing;
        if (reason == RevokedBecause.Nothing)
        {
            return false;
        }
        context.Items[RevokedTokens.ReasonItem] = reason;
        return true;
    }

    /// <summary>A suspended tenant's token is a 403 naming the suspension, as the gateway answers, not a bare 401.</summary>
    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        if (context.HttpContext.Items[RevokedTokens.ReasonItem] is RevokedBecause.TenantSuspended)
        {
            context.HandleResponse();
            await context.HttpContext.WriteProblemAsync(StatusCodes.Status403Forbidden, "tenant_suspended", "The request failed.", "The tenant is suspended.");
        }
    }

    public override Task MessageReceived(MessageReceivedContext context)
    {
        string? header = context.Request.Headers.Authorization;
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.CompletedTask;
        }
        // A span over the header: a remembered token (nearly every request) costs no copy of its text.
        var token = header.AsSpan(BearerPrefix.Length).Trim();
        if (context.HttpContext.RequestServices.GetRequiredService<ValidatedTokenCache>().Find(token) is { } principal)
        {
            if (Revoked(context.HttpContext, principal.Identities.First()))
            {
                context.Fail(RevokedMessage);
                return Task.CompletedTask;
            }
            context.Principal = principal;
            context.Success();
        }
        else
        {
            context.Token = token.ToString();
        }
        return Task.CompletedTask;
    }

    public override Task TokenValidated(TokenValidatedContext context)
    {
        var identity = context.Principal?.Identities.FirstOrDefault();
        if (string.IsNullOrEmpty(identity?.FindFirst(CodexClaims.Tenant)?.Value))
        {
            context.Fail("the token names no tenant");
        }
        else if (string.IsNullOrEmpty(identity.FindFirst(CodexClaims.Subject)?.Value))
        {
            context.Fail("the token names no subject");
        }
        else if (Revoked(context.HttpContext, identity))
        {
            context.Fail(RevokedMessage);
        }
        else if (context.SecurityToken is JsonWebToken token)
        {
            context.HttpContext.RequestServices.GetRequiredService<ValidatedTokenCache>()
                .Remember(token.EncodedToken, identity, new DateTimeOffset(token.ValidTo, TimeSpan.Zero));
        }
        return Task.CompletedTask;
    }
}
