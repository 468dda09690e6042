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

    public async Task<string> IssueAsync(TokenSubject subject, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = shared.Value.Issuer,
            Audience = shared.Value.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = await keys.CurrentAsync(cancellationToken),
            Claims = new Dictionary<string, object>
            {
                [CodexClaims.Subject] = subject.UserId.ToString(),
                [CodexClaims.Tenant] = subject.TenantId,
                [CodexClaims.Email] = subject.Email,
                [CodexClaims.Role] = subject.Roles.ToArray(),
                [CodexClaims.Permission] = subject.Permissions.ToArray(),
                [CodexClaims.Session] = subject.SessionId.ToString(),
                [CodexClaims.AuthMethods] = subject.Mfa ? new[] { "pwd", "mfa" } : new[] { "pwd" },
                [JwtRegisteredClaimNames.Jti] = Guid.CreateVersion7().ToString(),
            },
        };
        return _handler.CreateToken(descriptor);
    }
}
