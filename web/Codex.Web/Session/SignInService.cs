using System.Security.Claims;
using Codex.Security;
using Codex.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Codex.Web.Session;

/// <summary>
/// Signing in and out: Auth checks the credentials and issues tokens; the console keeps the tokens in
/// <see cref="SessionStore"/> and gives the browser a cookie with who the user is and the session's id.
/// </summary>
public sealed class SignInService(SignInClient auth, SessionStore store, TimeProvider clock)
{
    /// <summary>Signs the user in; Auth's refusals (wrong password, <c>mfa_required</c>, ...) surface as <see cref="ApiProblemException"/>.</summary>
    public async Task SignInAsync(HttpContext context, string? tenant, string email, string password, string? mfaCode, CancellationToken cancellationToken)
    {
        var tokens = await auth.LoginAsync(string.IsNullOrWhiteSpace(tenant) ? null : tenant.Trim(), email.Trim(), password,
            string.IsNullOrWhiteSpace(mfaCode) ? null : mfaCode.Trim(), cancellationToken);
        var me = await auth.MeAsync(tokens.AccessToken, cancellationToken);
        var id = await store.CreateAsync(new StoredTokens(tokens.AccessToken, tokens.RefreshToken, clock.GetUtcNow().AddSeconds(tokens.ExpiresIn)));

        var claims = new List<Claim>
        {
            new(CodexClaims.Subject, me.Id.ToString()),
            new(CodexClaims.Tenant, me.TenantId),
            new(CodexClaims.Email, me.Email),
            new(ConsoleClaims.Session, id),
        };
        claims.AddRange(me.Roles.Select(role => new Claim(CodexClaims.Role, role)));
        claims.AddRange(me.Permissions.Select(permission => new Claim(CodexClaims.Permission, permission)));
        var identity = new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme, CodexClaims.Email, CodexClaims.Role);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    /// <summary>Ends the session at Auth (when it still can), forgets the tokens and clears the cookie.</summary>
    public async Task SignOutAsync(HttpContext context, bool endAtAuth, CancellationToken cancellationToken)
    {
        if (ConsoleClaims.SessionOf(context.User) is { } id)
        {
            try
            {
                if (endAtAuth && await store.GetAsync(id) is { } tokens && tokens.AccessExpiresAt > clock.GetUtcNow())
                {
                    await auth.LogoutAsync(tokens.AccessToken, cancellationToken);
                }
                await store.RemoveAsync(id);
            }
            catch (Exception ex) when (ex is HttpRequestException or ApiProblemException or SessionStoreUnavailableException)
            {
                // Signing out of the console must not fail because Auth or Redis is away: the cookie goes
                // below, and the tokens expire on their own.
            }
        }
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
