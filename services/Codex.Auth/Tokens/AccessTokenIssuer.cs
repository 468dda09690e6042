using Codex.Security;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Codex.Auth.Tokens;

/// <summary>Who a token is for and what it may do, at the moment it is issued.</summary>
public sealed record TokenSubject(
    Guid UserId, string TenantId, string Email, IReadOnlyList<string> Roles, IReadOnlyList<string> Permissions, Guid SessionId, bool Mfa);

/// <summary>Signs access tokens with the current key (RS256 unless configured otherwise), its <c>kid</c>, 15 minutes by default.</summary>
public sealed class AccessTokenIssuer(SigningKeyStore keys, IOptions<CodexAuthOptions> shared, IOptions<AuthServiceOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public TimeSpan Lifetime => options.Value.AccessTokenLifetime;

    public Task<string> IssueAsync(TokenSubject subject, CancellationToken cancellationToken) =>
        SignAsync(clock.GetUtcNow() + Lifetime, new Dictionary<string, object>
        {
            [CodexClaims.Subject] = subject.UserId.ToString(),
            [CodexClaims.Tenant] = subject.TenantId,
            [CodexClaims.Email] = subject.Email,
            [CodexClaims.Role] = subject.Roles.ToArray(),
            [CodexClaims.Permission] = subject.Permissions.ToArray(),
            [CodexClaims.Session] = subject.SessionId.ToString(),
            [CodexClaims.AuthMethods] = subject.Mfa ? new[] { "pwd", "mfa" } : new[] { "pwd" },
        }, cancellationToken);

    /// <summary>
    /// A token for an API key used without a user: its permissions are the key's scopes, its subject names the
    /// key (never a user id), and it ends no later than the key does.
    /// </summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> IssueForKeyAsync(
        Guid keyId, string tenantId, IReadOnlyList<string> scopes, DateTimeOffset? keyExpiresAt, CancellationToken cancellationToken)
    {
        var expires = clock.GetUtcNow() + Lifetime;
        if (keyExpiresAt < expires)
        {
            expires = keyExpiresAt.Value;
        }
        var token = await SignAsync(expires, new Dictionary<string, object>
        {
            [CodexClaims.Subject] = $"apikey:{keyId}",
            [CodexClaims.Tenant] = tenantId,
            [CodexClaims.Permission] = scopes.ToArray(),
            [CodexClaims.ApiKey] = keyId.ToString(),
            [CodexClaims.AuthMethods] = new[] { CodexClaims.KeyAuthMethod },
        }, cancellationToken);
        return (token, expires);
    }

    private async Task<string> SignAsync(DateTimeOffset expires, Dictionary<string, object> claims, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        claims[JwtRegisteredClaimNames.Jti] = Guid.CreateVersion7().ToString();
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = shared.Value.Issuer,
            Audience = shared.Value.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = expires.UtcDateTime,
            SigningCredentials = await keys.CurrentAsync(cancellationToken),
            Claims = claims,
        });
    }
}
