using System.Text.Json;
using Codex.Auth.Infrastructure;
using Codex.Auth.Model;

namespace Codex.Auth.Services;

/// <summary>Adds auth_events rows to the unit of work, with the caller's address and agent.</summary>
public sealed class AuthEventLog(AuthDbContext db, IHttpContextAccessor http, TimeProvider clock)
{
    public const string LoggedIn = "logged_in";
    public const string LoginFailed = "login_failed";
    public const string LockedOut = "locked_out";
    public const string LoggedOut = "logged_out";
    public const string RefreshTokenReused = "refresh_token_reused";
    public const string PasswordChanged = "password_changed";
    public const string PasswordResetRequested = "password_reset_requested";

    /// <summary>A reset asked for an address with no active account: logged, and no mail.</summary>
    public const string PasswordResetRefused = "password_reset_refused";
    public const string PasswordReset = "password_reset";
    public const string EmailVerified = "email_verified";
    public const string MfaEnabled = "mfa_enabled";
    public const string MfaDisabled = "mfa_disabled";
    public const string UserCreated = "user_created";
    public const string UserDeactivated = "user_deactivated";
    public const string UserReactivated = "user_reactivated";
    public const string RoleAssigned = "role_assigned";
    public const string RoleUnassigned = "role_unassigned";
    public const string ApiKeyCreated = "api_key_created";
    public const string ApiKeyRevoked = "api_key_revoked";
    public const string SessionRevoked = "session_revoked";

    /// <summary>Records one event; it is written with the caller's next save.</summary>
    public void Add(string type, string tenantId, Guid? userId, string? email = null, object? data = null)
    {
        var request = http.HttpContext?.Request;
        string? agent = request?.Headers.UserAgent;
        db.AuthEvents.Add(new AuthEvent
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            UserId = userId,
            Type = type,
            Email = email,
            IpAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            UserAgent = agent is { Length: > 512 } ? agent[..512] : agent,
            Data = data is null ? null : JsonSerializer.Serialize(data),
            CreatedAt = clock.GetUtcNow(),
        });
    }
}
