namespace Codex.Security;

/// <summary>How services trust Auth's tokens (section <c>Auth</c>); the defaults fit the Codex stack.</summary>
public sealed class CodexAuthOptions
{
    public const string Section = "Auth";

    /// <summary>The <c>iss</c> every access token carries.</summary>
    public string Issuer { get; set; } = "codex-auth";

    /// <summary>The <c>aud</c> every access token carries.</summary>
    public string Audience { get; set; } = "codex";

    /// <summary>Where Auth publishes its signing keys; <c>http://auth</c> goes through service discovery.</summary>
    public string JwksUri { get; set; } = "http://auth/.well-known/jwks.json";

    /// <summary>How long a fetched key set is used before it is fetched again.</summary>
    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The least time between fetches forced by an unknown <c>kid</c>.</summary>
    public TimeSpan JwksMinimumRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Tolerated clock difference for <c>exp</c> and <c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long Auth's access tokens live (Auth issues them for this long; a revoked session is remembered as long).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often a service re-reads the revoked sessions and tenants from Redis, besides Auth's announcements.</summary>
    public TimeSpan RevocationResync { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The signature algorithms accepted (asymmetric only); anything else (<c>none</c>, HS256) is refused.</summary>
    public string[] Algorithms { get; set; } = ["RS256", "ES256"];
}
