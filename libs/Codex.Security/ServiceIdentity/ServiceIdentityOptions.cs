namespace Codex.Security.ServiceIdentity;

/// <summary>
/// Who this service is when it calls another one (section <c>ServiceIdentity</c>). The name is fixed in code;
/// the secret comes from the AppHost, which gives Auth the same one under <c>Auth:ServiceClients:&lt;name&gt;:Secret</c>.
/// </summary>
public sealed class ServiceIdentityOptions
{
    public const string Section = "ServiceIdentity";

    /// <summary>The service's resource name (<c>gateway</c>, <c>platform</c>…): the token's subject.</summary>
    public string Name { get; set; } = "";

    /// <summary>The client secret Auth knows this service by; without it the service cannot call internal routes.</summary>
    public string? Secret { get; set; }

    /// <summary>Auth's client-credentials endpoint; <c>http://auth</c> goes through service discovery.</summary>
    public string TokenEndpoint { get; set; } = "http://auth/connect/token";

    /// <summary>A token is fetched again once this share of its lifetime has passed.</summary>
    public double RenewAt { get; set; } = 0.8;
}

/// <summary>The service token's shape: its own <c>typ</c>, the caller in <c>client_id</c>, the callee in <c>aud</c>.</summary>
public static class ServiceTokens
{
    /// <summary>The authentication scheme internal routes use; user tokens never pass it (other audience and type).</summary>
    public const string Scheme = "ServiceToken";

    /// <summary>The JOSE <c>typ</c> of a service token: a user's token (<c>JWT</c>) is never taken for one, nor one for a user's.</summary>
    public const string TokenType = "codex-service+jwt";

    /// <summary>The calling service's name.</summary>
    public const string ClientIdClaim = "client_id";

    /// <summary>The per-request audience for a client that calls several services (<see cref="ServiceTokenHandler"/>).</summary>
    public static readonly HttpRequestOptionsKey<string> Audience = new("codex.service-token.audience");
}
