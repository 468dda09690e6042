using System.Security.Claims;
using System.Security.Cryptography;
using Codex.Security;
using Codex.Security.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Codex.Auth.Tests;

/// <summary>
/// JwtBearer as every service runs it (AddCodexAuthentication) with the validated-token cache: what it remembers
/// must never outlive the token or admit another.
/// </summary>
public sealed class ValidatedTokenCacheTests : IDisposable
{
    private static readonly RsaSecurityKey Key = new(RSA.Create(2048)) { KeyId = "cache-test" };

    private readonly IHost _host;

    public ValidatedTokenCacheTests()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:ClockSkew"] = "00:00:00" });
        builder.AddCodexAuthentication();
        builder.Services.AddSingleton<IConfigurationManager<OpenIdConnectConfiguration>, StaticKeys>();
        _host = builder.Build();
    }

    [Fact]
    public async Task A_remembered_token_is_still_refused_once_it_expires()
    {
        var token = Token(TimeSpan.FromSeconds(2));

        var first = await AuthenticateAsync(token);
        var again = await AuthenticateAsync(token);
        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);
        var expired = await AuthenticateAsync(token);

        Assert.True(first.Succeeded);
        Assert.True(again.Succeeded);
        Assert.False(expired.Succeeded);
    }

    [Fact]
    public async Task A_remembered_token_does_not_vouch_for_a_tampered_copy()
    {
        var token = Token(TimeSpan.FromMinutes(5));
        Assert.True((await AuthenticateAsync(token)).Succeeded);
        var parts = token.Split('.');
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(Base64UrlEncoder.Decode(parts[1]).Replace("\"t1\"", "\"t2\"", StringComparison.Ordinal))}.{parts[2]}";

        var result = await AuthenticateAsync(tampered);

        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task A_remembered_identity_cannot_change_and_each_caller_adds_to_its_own_principal()
    {
        var token = Token(TimeSpan.FromMinutes(5));
        // Validated in full: this caller's identity is its own, and changing it does not reach the remembered copy.
        var first = (await AuthenticateAsync(token)).Principal!;
        ((ClaimsIdentity)first.Identity!).AddClaim(new Claim(CodexClaims.Role, "superadmin"));

        var second = (await AuthenticateAsync(token)).Principal!;
        var change = Assert.Throws<InvalidOperationException>(() => ((ClaimsIdentity)second.Identity!).AddClaim(new Claim(CodexClaims.Role, "superadmin")));
        second.AddIdentity(new ClaimsIdentity([new Claim(CodexClaims.Role, "superadmin")]));
        var third = (await AuthenticateAsync(token)).Principal!;

        Assert.Contains("cannot change", change.Message);
        Assert.True(second.HasClaim(CodexClaims.Role, "superadmin"));
        Assert.False(third.HasClaim(CodexClaims.Role, "superadmin"));
        Assert.Equal("t1", third.FindFirst(CodexClaims.Tenant)?.Value);
    }

    [Fact]
    public async Task A_valid_signature_without_a_tenant_is_refused()
    {
        var result = await AuthenticateAsync(Token(TimeSpan.FromMinutes(5), tenant: null));

        Assert.False(result.Succeeded);
        Assert.Contains("tenant", result.Failure?.Message);
    }

    private async Task<AuthenticateResult> AuthenticateAsync(string token)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = $"Bearer {token}";
        return await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
    }

    private static string Token(TimeSpan lifetime, string? tenant = "t1")
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object> { [CodexClaims.Subject] = Guid.NewGuid().ToString() };
        if (tenant is not null)
        {
            claims[CodexClaims.Tenant] = tenant;
        }
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "codex-auth", Audience = "codex", IssuedAt = now, NotBefore = now, Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.RsaSha256),
            Claims = claims,
        });
    }

    public void Dispose() => _host.Dispose();

    private sealed class StaticKeys : BaseConfigurationManager, IConfigurationManager<OpenIdConnectConfiguration>
    {
        public Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel) => Task.FromResult(SigningKeys.Of([Key]));

        public override async Task<BaseConfiguration> GetBaseConfigurationAsync(CancellationToken cancel) => await GetConfigurationAsync(cancel);

        public override void RequestRefresh()
        {
        }
    }
}
