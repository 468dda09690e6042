namespace Codex.Contracts;

[EventType("auth.user.registered")]
public sealed record UserRegistered(string TenantId, Guid UserId, string Email, IReadOnlyList<string> Roles) : IIntegrationEvent;

[EventType("auth.user.logged_in")]
public sealed record UserLoggedIn(string TenantId, Guid UserId, DateTimeOffset At) : IIntegrationEvent;

[EventType("auth.user.login_failed")]
public sealed record UserLoginFailed(string TenantId, string Email, string Reason, DateTimeOffset At) : IIntegrationEvent;

[EventType("auth.user.locked_out")]
public sealed record UserLockedOut(string TenantId, Guid UserId, DateTimeOffset Until) : IIntegrationEvent;

[EventType("auth.user.deactivated")]
public sealed record UserDeactivated(string TenantId, Guid UserId) : IIntegrationEvent;

[EventType("auth.user.reactivated")]
public sealed record UserReactivated(string TenantId, Guid UserId) : IIntegrationEvent;

[EventType("auth.user.email_verified")]
public sealed record UserEmailVerified(string TenantId, Guid UserId) : IIntegrationEvent;

[EventType("auth.password_reset.requested")]
public sealed record PasswordResetRequested(string TenantId, Guid UserId, string Email, string ResetToken, DateTimeOffset ExpiresAt) : IIntegrationEvent;

[EventType("auth.refresh_token.reused")]
public sealed record RefreshTokenReused(string TenantId, Guid UserId, Guid SessionFamilyId) : IIntegrationEvent;

[EventType("auth.permission.denied")]
public sealed record PermissionDenied(string TenantId, Guid? UserId, string Permission, string Resource) : IIntegrationEvent;

[EventType("auth.api_key.created")]
public sealed record ApiKeyCreated(string TenantId, Guid ApiKeyId, string Prefix, IReadOnlyList<string> Scopes) : IIntegrationEvent;

[EventType("auth.api_key.revoked")]
public sealed record ApiKeyRevoked(string TenantId, Guid ApiKeyId, string Prefix) : IIntegrationEvent;
