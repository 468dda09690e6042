using Services = Codex.ResourceNames.Services;

namespace Codex.Contracts;

// The events that carry a one-time token (reset, invitation, verification) are for Notifications, which delivers
// it, and Platform, whose audit log records them with the token redacted; the broker keeps every other service
// from binding them (ReadBy).

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

[EventType("auth.password_reset.requested", ReadBy = [Services.Platform, Services.Notifications])]
public sealed record PasswordResetRequested(string TenantId, Guid UserId, string Email, string ResetToken, DateTimeOffset ExpiresAt) : IIntegrationEvent;

[EventType("auth.refresh_token.reused")]
public sealed record RefreshTokenReused(string TenantId, Guid UserId, Guid SessionFamilyId) : IIntegrationEvent;

[EventType("auth.permission.denied", AnyService = true)]
public sealed record PermissionDenied(string TenantId, Guid? UserId, string Permission, string Resource) : IIntegrationEvent;

[EventType("auth.apikey.created")]
public sealed record ApiKeyCreated(string TenantId, Guid ApiKeyId, string Prefix, IReadOnlyList<string> Scopes) : IIntegrationEvent;

[EventType("auth.apikey.revoked")]
public sealed record ApiKeyRevoked(string TenantId, Guid ApiKeyId, string Prefix) : IIntegrationEvent;

[EventType("auth.user.logged_out")]
public sealed record UserLoggedOut(string TenantId, Guid UserId, Guid SessionId) : IIntegrationEvent;

[EventType("auth.user.password_reset")]
public sealed record UserPasswordReset(string TenantId, Guid UserId) : IIntegrationEvent;

[EventType("auth.user.password_changed")]
public sealed record UserPasswordChanged(string TenantId, Guid UserId) : IIntegrationEvent;

[EventType("auth.user.invited", ReadBy = [Services.Platform, Services.Notifications])]
public sealed record UserInvited(string TenantId, Guid UserId, string Email, string InvitationToken, DateTimeOffset ExpiresAt) : IIntegrationEvent;

[EventType("auth.user.email_verification_requested", ReadBy = [Services.Platform, Services.Notifications])]
public sealed record EmailVerificationRequested(string TenantId, Guid UserId, string Email, string VerificationToken) : IIntegrationEvent;

[EventType("auth.user.mfa_enabled")]
public sealed record UserMfaEnabled(string TenantId, Guid UserId) : IIntegrationEvent;

[EventType("auth.user.mfa_disabled")]
public sealed record UserMfaDisabled(string TenantId, Guid UserId) : IIntegrationEvent;

[EventType("auth.role.assigned")]
public sealed record RoleAssigned(string TenantId, Guid UserId, string Role, Guid? GrantedBy, DateTimeOffset? ExpiresAt) : IIntegrationEvent;

[EventType("auth.role.unassigned")]
public sealed record RoleUnassigned(string TenantId, Guid UserId, string Role) : IIntegrationEvent;
