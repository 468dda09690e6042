using System.Security.Claims;
using Codex.Auth.Contracts;
using Codex.Auth.Infrastructure;
using Codex.Auth.Services;
using Codex.Security;
using Codex.Security.Authorization;
using Codex.Security.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Codex.Auth.Apis;

/// <summary>Sign-in, refresh, logout, the caller's profile, and sessions.</summary>
public static class SignInApi
{
    public static RouteGroupBuilder MapSignInApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/auth").WithTags("Sign-in");
        api.MapPost("/login", Login).AllowAnonymous().WithName("Login").WithSummary("Sign in with email and password (and a second factor when enrolled).");
        api.MapPost("/refresh", Refresh).AllowAnonymous().WithName("Refresh").WithSummary("Exchange a refresh token for a new pair (rotation).");
        api.MapPost("/logout", Logout).RequireAuthorization().WithName("Logout").WithSummary("End the current session.");
        api.MapGet("/me", Me).RequireAuthorization().WithName("Me").WithSummary("The signed-in user, roles and effective permissions.");
        api.MapGet("/sessions", ListSessions).RequireAuthorization().WithName("ListSessions").WithSummary("The caller's sessions, or a user's (admins: ?userId=).");
        api.MapDelete("/sessions/{id:guid}", RevokeSession).RequireAuthorization().WithName("RevokeSession").WithSummary("End a session: your own, or (admins) any in the tenant.");
        return api;
    }

    public static async Task<Ok<TokenResponse>> Login(LoginRequest request, SignInService signIn, CancellationToken cancellationToken) =>
        TypedResults.Ok(await signIn.LoginAsync(request, cancellationToken));

    /// <summary>Guessing refresh tokens is hopeless (256 bits), but each wrong one still counts against the address.</summary>
    public static async Task<Ok<TokenResponse>> Refresh(RefreshRequest request, SessionService sessions, AttemptThrottle throttle, CancellationToken cancellationToken)
    {
        await using var attempt = await throttle.BeginAsync(throttle.FromSource());
        try
        {
            return TypedResults.Ok(await sessions.RefreshAsync(request.RefreshToken, cancellationToken));
        }
        catch (UnauthorizedException ex) when (ex.Code == "invalid_refresh_token")
        {
            await attempt.FailedAsync();
            throw;
        }
    }

    public static async Task<NoContent> Logout(ClaimsPrincipal user, TenantContext tenant, SessionService sessions, CancellationToken cancellationToken)
    {
        await sessions.RevokeAsync(SessionOf(user), tenant.UserId, "logout", cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<MeResponse>> Me(AccountService accounts, PermissionResolver permissions, CancellationToken cancellationToken)
    {
        var user = await accounts.CurrentUserAsync();
        var (roles, perms) = await permissions.ResolveAsync(user, cancellationToken);
        return TypedResults.Ok(new MeResponse(user.Id, user.TenantId, user.Email!, user.EmailConfirmed, user.TwoFactorEnabled, roles, perms, user.LastLogin));
    }

    public static async Task<Ok<List<SessionDto>>> ListSessions(
        Guid? userId, ClaimsPrincipal user, TenantContext tenant, AuthDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var whose = userId ?? tenant.UserId;
        if (whose != tenant.UserId)
        {
            RequireAdmin(user, "auth.sessions.read");
        }
        var now = clock.GetUtcNow();
        var current = SessionOf(user);
        var sessions = await db.Sessions.AsNoTracking()
            .Where(s => s.UserId == whose && s.RevokedAt == null && s.ExpiresAt > now)
            .OrderByDescending(s => s.LastRefreshedAt)
            .Select(s => new SessionDto(s.Id, s.UserId, s.CreatedAt, s.LastRefreshedAt, s.ExpiresAt, s.IpAddress, s.UserAgent, s.Mfa, s.Id == current))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(sessions);
    }

    public static async Task<NoContent> RevokeSession(
        Guid id, ClaimsPrincipal user, TenantContext tenant, SessionService sessions, CancellationToken cancellationToken)
    {
        var admin = Permissions.Holds(user, "auth.sessions.write");
        await sessions.RevokeAsync(id, admin ? null : tenant.UserId, "revoked", cancellationToken);
        return TypedResults.NoContent();
    }

    private static Guid SessionOf(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirst(CodexClaims.Session)?.Value, out var id) ? id : throw new UnauthorizedException("The token names no session.");

    private static void RequireAdmin(ClaimsPrincipal user, string permission)
    {
        if (!Permissions.Holds(user, permission))
        {
            throw new ForbiddenException($"This needs the permission '{permission}'.", "permission_denied");
        }
    }
}
