using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Codex.Auth.Contracts;
using Codex.Testing.Auth;
using Codex.Auth.Tokens;
using Codex.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Codex.Auth.Tests;

/// <summary>
/// Forged or stale tokens against a write endpoint: each is refused with 401 and no user is created.
/// The forgeries claim superadmin, so a single accepted one would show as a new row.
/// </summary>
public sealed class TokenAttackTests(AuthService auth) : IClassFixture<AuthService>
{
    public static TheoryData<string> Forgeries =>
    [
        "expired", "not_yet_valid", "wrong_issuer", "wrong_audience", "alg_none", "hs256_with_public_key",
        "tampered_payload", "unknown_kid", "own_key_under_the_real_kid", "no_tenant_claim", "no_signature",
    ];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_or_stale_token_is_refused_and_changes_nothing(string forgery)
    {
        var tenant = await auth.CreateTenantAsync();
        var token = await ForgeAsync(forgery);
        var before = await auth.ScalarAsync<long>("SELECT count(*) FROM users");

        using var client = auth.ClientWith(token, tenant);
        using var response = await client.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest($"{forgery.Replace('_', '-')}@evil.test", "Attacker-Password-2026", ["admin"]));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(before, await auth.ScalarAsync<long>("SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task The_same_claims_signed_properly_are_accepted_so_the_refusals_are_about_the_forgery()
    {
        var tenant = await auth.CreateTenantAsync();
        var token = await ForgeAsync("genuine");

        using var client = auth.ClientWith(token, tenant);
        using var response = await client.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest("genuine@ok.test", "Genuine-Password-2026"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_token_of_tenant_A_cannot_act_on_tenant_B()
    {
        var a = await auth.CreateTenantWithAdminAsync();
        var b = await auth.CreateTenantWithAdminAsync();
        var bUser = await auth.CreateUserAsync(b.Tenant, $"victim@{b.Tenant}.test", AuthService.TenantPassword);

        using var namedB = auth.ClientWith(a.Tokens.AccessToken, b.Tenant);
        using var viaGateway = await namedB.PostAsync($"/api/v1/auth/users/{bUser.Id}/deactivate", null);
        using var direct = await a.Client.PostAsync($"/api/v1/auth/users/{bUser.Id}/deactivate", null);
        using var list = await namedB.GetAsync("/api/v1/auth/users");

        await viaGateway.AssertProblemAsync(HttpStatusCode.Forbidden, "tenant_mismatch");
        await direct.AssertProblemAsync(HttpStatusCode.NotFound);
        await list.AssertProblemAsync(HttpStatusCode.Forbidden, "tenant_mismatch");
        Assert.True(await auth.ScalarAsync<bool>($"SELECT is_active FROM users WHERE id = '{bUser.Id}'"));
    }

    private async Task<string> ForgeAsync(string forgery)
    {
        var keys = auth.App.Services.GetRequiredService<SigningKeyStore>();
        var signing = await keys.CurrentAsync();
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            [CodexClaims.Subject] = Guid.NewGuid().ToString(),
            [CodexClaims.Tenant] = CodexClaims.PlatformTenant,
            [CodexClaims.Email] = "mallory@evil.test",
            [CodexClaims.Role] = new[] { "superadmin" },
            [CodexClaims.Permission] = new[] { "*" },
            [CodexClaims.Session] = Guid.NewGuid().ToString(),
        };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = "codex-auth", Audience = "codex", IssuedAt = now, NotBefore = now, Expires = now.AddMinutes(15),
            SigningCredentials = signing, Claims = claims,
        };
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        switch (forgery)
        {
            case "expired":
                (descriptor.IssuedAt, descriptor.NotBefore, descriptor.Expires) = (now.AddHours(-2), now.AddHours(-2), now.AddMinutes(-5));
                break;
            case "not_yet_valid":
                (descriptor.NotBefore, descriptor.Expires) = (now.AddMinutes(10), now.AddMinutes(25));
                break;
            case "wrong_issuer":
                descriptor.Issuer = "https://evil.example";
                break;
            case "wrong_audience":
                descriptor.Audience = "someone-else";
                break;
            case "no_tenant_claim":
                claims.Remove(CodexClaims.Tenant);
                break;
            case "unknown_kid":
                descriptor.SigningCredentials = new SigningCredentials(
                    new RsaSecurityKey(RSA.Create(2048)) { KeyId = "attacker-key" }, SecurityAlgorithms.RsaSha256);
                break;
            case "own_key_under_the_real_kid":
                descriptor.SigningCredentials = new SigningCredentials(
                    new RsaSecurityKey(RSA.Create(2048)) { KeyId = signing.Key.KeyId }, SecurityAlgorithms.RsaSha256);
                break;
            case "alg_none":
                return Unsigned(handler.CreateToken(descriptor), """{"alg":"none","typ":"JWT"}""") + ".";
            case "no_signature":
                return string.Join('.', handler.CreateToken(descriptor).Split('.')[..2]) + ".";
            case "hs256_with_public_key":
                // The classic confusion: the public JWK used as an HMAC secret, under the real kid.
                var jwks = await keys.PublicJwksAsync();
                var publicKey = Encoding.UTF8.GetBytes(jwks[0].GetRawText());
                descriptor.SigningCredentials = new SigningCredentials(
                    new SymmetricSecurityKey(publicKey) { KeyId = signing.Key.KeyId }, SecurityAlgorithms.HmacSha256);
                break;
            case "tampered_payload":
                var genuine = handler.CreateToken(descriptor).Split('.');
                var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(genuine[1])).Replace("mallory@evil.test", "mallory@evil.tesT", StringComparison.Ordinal);
                return $"{genuine[0]}.{Base64UrlEncoder.Encode(payload)}.{genuine[2]}";
        }
        return handler.CreateToken(descriptor);
    }

    private static string Unsigned(string token, string header) =>
        Base64UrlEncoder.Encode(header) + "." + token.Split('.')[1];
}
