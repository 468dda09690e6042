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
    public SigningKeySettings SigningKeys { get; set; } = new();

    /// <summary>How long a password-reset or verification token stays valid.</summary>
    public TimeSpan EmailTokenLifetime { get; set; } = TimeSpan.FromHours(2);
}

public sealed class LockoutSettings
{
    public int MaxFailedAttempts { get; set; } = 5;
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
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
