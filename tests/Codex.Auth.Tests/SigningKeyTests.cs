using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Codex.Testing.Auth;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Codex.Auth.Tests;

public sealed class SigningKeyTests(AuthService auth) : IClassFixture<AuthService>
{
    [Fact]
    public async Task The_JWKS_publishes_the_current_public_key_and_no_private_part()
    {
        var tokens = await auth.LoginSuperadminAsync();

        var jwks = await auth.Client.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");

        var key = jwks.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == new JsonWebToken(tokens.AccessToken).Kid);
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        Assert.Equal(256, Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(key.GetProperty("n").GetString()).Length);
        foreach (var privatePart in new[] { "d", "p", "q", "dp", "dq", "qi" })
        {
            Assert.False(key.TryGetProperty(privatePart, out _), $"the JWKS publishes the private part '{privatePart}'");
        }
    }

    [Fact]
    public async Task After_rotation_new_tokens_use_the_new_key_and_tokens_of_the_old_key_still_validate()
    {
        var root = await auth.LoginSuperadminAsync();
        var oldKid = new JsonWebToken(root.AccessToken).Kid;
        using var client = auth.ClientWith(root.AccessToken);

        using var rotate = await client.PostAsync("/api/v1/auth/admin/signing-keys/rotate", null);
        var fresh = await auth.LoginSuperadminAsync();

        Assert.Equal(HttpStatusCode.NoContent, rotate.StatusCode);
        Assert.NotEqual(oldKid, new JsonWebToken(fresh.AccessToken).Kid);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        var kids = (await auth.Client.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json")).GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        Assert.Contains(oldKid, kids);
        Assert.Contains(new JsonWebToken(fresh.AccessToken).Kid, kids);
    }

    [Fact]
    public async Task Keys_survive_a_restart_so_tokens_issued_before_it_still_validate()
    {
        var before = await auth.LoginSuperadminAsync();
        var protectedKeys = await auth.ScalarAsync<string>("SELECT string_agg(protected_private_key, ',') FROM signing_keys");

        await auth.StopAsync();
        await auth.StartAsync();

        using var client = auth.ClientWith(before.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(new JsonWebToken(before.AccessToken).Kid, new JsonWebToken((await auth.LoginSuperadminAsync()).AccessToken).Kid);
        Assert.DoesNotContain("PRIVATE KEY", protectedKeys);
        Assert.StartsWith("CfDJ8", protectedKeys);   // Data Protection's payload header
    }

    [Fact]
    public async Task A_superadmin_is_needed_to_rotate()
    {
        var admin = await auth.CreateTenantWithAdminAsync();

        using var response = await admin.Client.PostAsync("/api/v1/auth/admin/signing-keys/rotate", null);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}

public sealed class EncryptedKeyRingTests : IAsyncLifetime
{
    private readonly string _certificate = Path.Combine(Path.GetTempPath(), $"codex-dp-{Guid.NewGuid():N}.pfx");
    private readonly Codex.Testing.Auth.AuthService _auth = new();

    public async ValueTask InitializeAsync()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=codex-auth-data-protection", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        await File.WriteAllBytesAsync(_certificate, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "test-pfx-password"));
        _auth.Settings["Auth:DataProtection:CertificatePath"] = _certificate;
        _auth.Settings["Auth:DataProtection:CertificatePassword"] = "test-pfx-password";
        await _auth.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _auth.DisposeAsync();
        File.Delete(_certificate);
    }

    [Fact]
    public async Task With_a_certificate_the_key_ring_is_encrypted_at_rest_and_survives_a_restart()
    {
        var before = await _auth.LoginSuperadminAsync();

        var ring = await _auth.ScalarAsync<string>("SELECT string_agg(xml, '') FROM data_protection_keys");
        await _auth.StopAsync();
        await _auth.StartAsync();

        Assert.Contains("EncryptedData", ring);
        Assert.DoesNotContain("<masterKey", ring);
        using var client = _auth.ClientWith(before.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        await _auth.LoginSuperadminAsync();
    }
}
