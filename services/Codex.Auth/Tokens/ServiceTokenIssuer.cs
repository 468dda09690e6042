using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Codex.Security;
using Codex.Security.ServiceIdentity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Codex.Auth.Tokens;

/// <summary>A service Auth knows (<c>Auth:ServiceClients:&lt;name&gt;:Secret</c>, set by the AppHost).</summary>
public sealed class ServiceClientSettings
{
    public string? Secret { get; set; }
}

/// <summary>
/// Client-credentials tokens for services: the caller in <c>sub</c> and <c>client_id</c>, the callee in
/// <c>aud</c>, typ <see cref="ServiceTokens.TokenType"/>, signed with the same keys as users' tokens. They
/// carry no tenant and no permission, so no user route accepts one.
/// </summary>
public sealed partial class ServiceTokenIssuer(SigningKeyStore keys, IOptions<CodexAuthOptions> shared, IOptions<AuthServiceOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public TimeSpan Lifetime => options.Value.ServiceTokenLifetime;

    /// <summary>True when <paramref name="clientId"/> is a known service and <paramref name="secret"/> its secret (compared in fixed time).</summary>
    public bool Authenticate(string clientId, string secret)
    {
        var known = options.Value.ServiceClients.TryGetValue(clientId, out var client) && !string.IsNullOrEmpty(client.Secret);
        // Hashing both sides gives equal lengths, so the comparison's time says nothing about the secret.
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(known ? client!.Secret! : "\0unknown"));
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        return CryptographicOperations.FixedTimeEquals(expected, given) && known;
    }

    /// <summary>A callee is a service name (a slug), never the users' audience.</summary>
    public bool IsValidAudience(string audience) =>
        ServiceName().IsMatch(audience) && !string.Equals(audience, shared.Value.Audience, StringComparison.Ordinal);

    public async Task<string> IssueAsync(string clientId, string audience, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = ServiceTokens.TokenType,
            Issuer = shared.Value.Issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = await keys.CurrentAsync(cancellationToken),
            Claims = new Dictionary<string, object>
            {
                [CodexClaims.Subject] = clientId,
                [ServiceTokens.ClientIdClaim] = clientId,
                [JwtRegisteredClaimNames.Jti] = Guid.CreateVersion7().ToString(),
            },
        });
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex ServiceName();
}
