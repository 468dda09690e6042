namespace Codex.Auth.Tokens;

/// <summary>Auth's own settings (section <c>Auth</c>, beside the shared issuer/audience).</summary>
public sealed class AuthServiceOptions
{
    public const string Section = "Auth";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long a service's client-credentials token is valid (they are fetched again at 80 %).</summary>
    public TimeSpan ServiceTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The services that may ask for tokens, by name, each with its secret (the AppHost sets them).</summary>
    public Dictionary<string, ServiceClientSettings> ServiceClients { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A session ends this long after sign-in, however often it is refreshed.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

    public LockoutSettings Lockout { get; set; } = new();
    public ThrottleSettings Throttle { get; set; } = new();
    public SigningKeySettings SigningKeys { get; set; } = new();

    /// <summary>Forgot-password answers no sooner than this, whether or not the email has an account.</summary>
    public TimeSpan ForgotPasswordMinimumTime { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a password-reset or verification token stays valid.</summary>
    public TimeSpan EmailTokenLifetime { get; set; } = TimeSpan.FromHours(2);
}

/// <summary>
/// The hard stop: this many failed sign-ins of one account from one address lock that address out of that
/// account for <see cref="Duration"/>, and only when the account has no second factor.
/// </summary>
public sealed class LockoutSettings
{
    public int MaxFailedAttempts { get; set; } = 5;
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Progressive delays on sign-in, second-factor, refresh and forgot-password attempts (<see cref="Services.AttemptThrottle"/>).
/// Each rule lets <see cref="ThrottleRule.Free"/> attempts through in its window, then asks for a wait that doubles
/// from <see cref="ThrottleRule.FirstDelay"/> up to <see cref="ThrottleRule.MaxDelay"/>.
/// </summary>
public sealed class ThrottleSettings
{
    /// <summary>Where the counters live in Redis: one deployment's Auth replicas share them, another's must not.</summary>
    public string KeyPrefix { get; set; } = "codex:auth:throttle:";

    /// <summary>One account from one address: the attacker's own pace.</summary>
    public ThrottleRule AccountFromSource { get; set; } = new() { Free = 3, MaxDelay = TimeSpan.FromMinutes(1) };

    /// <summary>One account from anywhere: gentle, so an attack from elsewhere costs its owner seconds, never access.</summary>
    public ThrottleRule Account { get; set; } = new() { Free = 10, MaxDelay = TimeSpan.FromSeconds(10) };

    /// <summary>One address over every account (credential stuffing, refresh-token guessing).</summary>
    public ThrottleRule Source { get; set; } = new() { Free = 100, MaxDelay = TimeSpan.FromMinutes(1) };

    /// <summary>Forgot-password requests for one account: each one sends mail.</summary>
    public ThrottleRule ResetRequests { get; set; } = new() { Free = 3, FirstDelay = TimeSpan.FromSeconds(30), MaxDelay = TimeSpan.FromMinutes(15), Window = TimeSpan.FromHours(1) };
}

public sealed class ThrottleRule
{
    public int Free { get; set; } = 3;
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the attempts are counted, from the first one.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
}

public sealed class SigningKeySettings
{
    /// <summary>
    /// RS256 (default) or ES256. RS256 because services verify far more often than Auth signs, and an
    /// RSA-2048 verify is about five times cheaper than a P-256 one (openssl speed on these machines).
    /// </summary>
    public string Algorithm { get; set; } = Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha256;

    /// <summary>The current key is replaced once it is this old.</summary>
    public TimeSpan RotateAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often replicas reload keys and check whether rotation is due.</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromMinutes(1);
}
