using System.Security.Cryptography;
using Codex.Security;
using Codex.Security.Authentication;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Codex.Auth.Tests;

/// <summary>The validator remembers tokens that passed; what it remembers must never outlive the token or admit another.</summary>
public sealed class ValidatedTokenCacheTests
{
    private static readonly RsaSecurityKey Key = new(RSA.Create(2048)) { KeyId = "cache-test" };

    private static readonly TokenValidationParameters Parameters =
        SecurityExtensions.CreateValidationParameters(new CodexAuthOptions { ClockSkew = TimeSpan.Zero }, new StaticKeys());

    [Fact]
    public async Task A_remembered_token_is_still_refused_once_it_expires()
    {
        var validator = new CodexTokenValidator(TimeProvider.System);
        var token = Token(TimeSpan.FromSeconds(2));

        var first = await validator.ValidateAsync(token, Parameters);
        var again = await validator.ValidateAsync(token, Parameters);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var expired = await validator.ValidateAsync(token, Parameters);

        Assert.NotNull(first.Principal);
        Assert.NotNull(again.Principal);
        Assert.Null(expired.Principal);
    }

    [Fact]
    public async Task A_remembered_token_does_not_vouch_for_a_tampered_copy()
    {
        var validator = new CodexTokenValidator(TimeProvider.System);
        var token = Token(TimeSpan.FromMinutes(5));
        Assert.NotNull((await validator.ValidateAsync(token, Parameters)).Principal);
        var parts = token.Split('.');
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(Base64UrlEncoder.Decode(parts[1]).Replace("\"t1\"", "\"t2\"", StringComparison.Ordinal))}.{parts[2]}";

        var result = await validator.ValidateAsync(tampered, Parameters);

        Assert.Null(result.Principal);
    }

    [Fact]
    public async Task Each_caller_gets_its_own_principal_to_change()
    {
        var validator = new CodexTokenValidator(TimeProvider.System);
        var token = Token(TimeSpan.FromMinutes(5));
        var first = (await validator.ValidateAsync(token, Parameters)).Principal!;
        ((System.Security.Claims.ClaimsIdentity)first.Identity!).AddClaim(new System.Security.Claims.Claim(CodexClaims.Role, "superadmin"));

        var second = (await validator.ValidateAsync(token, Parameters)).Principal!;

        Assert.False(second.HasClaim(CodexClaims.Role, "superadmin"));
    }

    private static string Token(TimeSpan lifetime)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "codex-auth", Audience = "codex", IssuedAt = now, NotBefore = now, Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object> { [CodexClaims.Subject] = Guid.NewGuid().ToString(), [CodexClaims.Tenant] = "t1" },
        });
    }

    private sealed class StaticKeys : BaseConfigurationManager
    {
        public override Task<BaseConfiguration> GetBaseConfigurationAsync(CancellationToken cancel) =>
            Task.FromResult<BaseConfiguration>(JwksConfiguration.Of([Key]));

        public override void RequestRefresh()
        {
        }
    }
}
