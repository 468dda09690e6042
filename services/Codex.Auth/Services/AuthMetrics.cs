using System.Diagnostics.Metrics;

namespace Codex.Auth.Services;

/// <summary>The <c>Codex.Auth</c> meter: sign-ins by outcome, lockouts, refresh-token reuse.</summary>
public sealed class AuthMetrics
{
    public const string MeterName = "Codex.Auth";

    private readonly Counter<long> _logins;
    private readonly Counter<long> _lockouts;
    private readonly Counter<long> _refreshReuse;

    public AuthMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _logins = meter.CreateCounter<long>("codex.auth.logins", "{login}", "Sign-in attempts by result (success or the failure reason).");
        _lockouts = meter.CreateCounter<long>("codex.auth.lockouts", "{lockout}", "Accounts locked after repeated failures.");
        _refreshReuse = meter.CreateCounter<long>("codex.auth.refresh_token_reuse", "{event}", "Rotated refresh tokens presented again (sessions revoked).");
    }

    public void Login(string tenantId, string result) =>
        _logins.Add(1, new KeyValuePair<string, object?>("tenant", tenantId), new KeyValuePair<string, object?>("result", result));

    public void Lockout(string tenantId) => _lockouts.Add(1, new KeyValuePair<string, object?>("tenant", tenantId));

    public void RefreshTokenReused(string tenantId) => _refreshReuse.Add(1, new KeyValuePair<string, object?>("tenant", tenantId));
}
