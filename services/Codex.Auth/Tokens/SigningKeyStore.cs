using System.Security.Cryptography;
using System.Text.Json;
using Codex.Auth.Infrastructure;
using Codex.Auth.Model;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Codex.Auth.Tokens;

/// <summary>
/// The keys that sign access tokens (RS256 by default, ES256 on request), kept in authdb with the private half protected by Data
/// Protection. The newest unretired key signs; a retired key stays published until every token it
/// signed has expired, so rotation never invalidates a live token.
/// </summary>
public sealed class SigningKeyStore(
    IServiceScopeFactory scopes, IDataProtectionProvider dataProtection, IOptions<AuthServiceOptions> options,
    IOptions<Codex.Security.CodexAuthOptions> shared, TimeProvider clock)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Codex.Auth.SigningKeys");
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile KeySet? _keys;

    /// <summary>The key that signs now.</summary>
    public async ValueTask<SigningCredentials> CurrentAsync(CancellationToken cancellationToken = default) =>
        (await KeysAsync(cancellationToken)).Current;

    /// <summary>Every key a live token may have been signed with (the JWKS).</summary>
    public async ValueTask<IReadOnlyList<SecurityKey>> PublishedAsync(CancellationToken cancellationToken = default) =>
        (await KeysAsync(cancellationToken)).Published;

    /// <summary>The public JWKs, as published at <c>/.well-known/jwks.json</c>.</summary>
    public async ValueTask<IReadOnlyList<JsonElement>> PublicJwksAsync(CancellationToken cancellationToken = default) =>
        (await KeysAsync(cancellationToken)).PublicJwks;

    /// <summary>Reads the keys again on the next use (another replica may have rotated).</summary>
    public void Invalidate() => _keys = null;

    /// <summary>Makes sure a signing key exists; rotates when the current one is older than allowed.</summary>
    public async Task EnsureCurrentAsync(bool forceRotation, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // One replica rotates at a time; the others see its key on their next reload.
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext('codex.auth.signing_keys'))", cancellationToken);
            var now = clock.GetUtcNow();
            var current = await db.SigningKeys.Where(k => k.RetiredAt == null).OrderByDescending(k => k.CreatedAt).FirstOrDefaultAsync(cancellationToken);
            if (current is not null && !forceRotation && now - current.CreatedAt < options.Value.SigningKeys.RotateAfter)
            {
                return;
            }
            if (current is not null)
            {
                current.RetiredAt = now;
            }
            db.SigningKeys.Add(NewKey(options.Value.SigningKeys.Algorithm, now));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        Invalidate();
    }

    private SigningKey NewKey(string algorithm, DateTimeOffset now)
    {
        var kid = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12));
        using AsymmetricAlgorithm key = algorithm switch
        {
            SecurityAlgorithms.RsaSha256 => RSA.Create(2048),
            SecurityAlgorithms.EcdsaSha256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
            _ => throw new InvalidOperationException($"Auth:SigningKeys:Algorithm '{algorithm}' is not supported: use RS256 or ES256."),
        };
        var jwk = key switch
        {
            RSA rsa => JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false))),
            _ => JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey((ECDsa)key)),
        };
        var publicJwk = key is RSA
            ? JsonSerializer.Serialize(new { kty = jwk.Kty, n = jwk.N, e = jwk.E, kid, use = "sig", alg = algorithm })
            : JsonSerializer.Serialize(new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y, kid, use = "sig", alg = algorithm });
        return new SigningKey
        {
            Kid = kid,
            Algorithm = algorithm,
            ProtectedPrivateKey = _protector.Protect(Convert.ToBase64String(key.ExportPkcs8PrivateKey())),
            PublicJwk = publicJwk,
            CreatedAt = now,
        };
    }

    private async ValueTask<KeySet> KeysAsync(CancellationToken cancellationToken)
    {
        var keys = _keys;
        if (keys is not null && clock.GetUtcNow() < keys.FreshUntil)
        {
            return keys;
        }
        await _reload.WaitAsync(cancellationToken);
        try
        {
            keys = _keys;
            if (keys is null || clock.GetUtcNow() >= keys.FreshUntil)
            {
                keys = await LoadAsync(cancellationToken);
                _keys = keys;
            }
            return keys;
        }
        finally
        {
            _reload.Release();
        }
    }

    private async Task<KeySet> LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var now = clock.GetUtcNow();
        // A retired key is kept while tokens it signed can still be valid (lifetime plus clock skew).
        var keepSince = now - options.Value.AccessTokenLifetime - shared.Value.ClockSkew;
        var rows = await db.SigningKeys.AsNoTracking()
            .Where(k => k.RetiredAt == null || k.RetiredAt > keepSince)
            .OrderByDescending(k => k.CreatedAt)
            .ToListAsync(cancellationToken);
        var current = rows.FirstOrDefault(k => k.RetiredAt == null)
            ?? throw new InvalidOperationException("authdb holds no signing key: run the service with 'migrate' first.");

        var published = rows.Select(row => Codex.Security.Authentication.SigningKeys.AsNativeKey(new JsonWebKey(row.PublicJwk))).ToList();
        var pkcs8 = Convert.FromBase64String(_protector.Unprotect(current.ProtectedPrivateKey));
        SecurityKey privateKey;
        if (current.Algorithm == SecurityAlgorithms.RsaSha256)
        {
            var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            privateKey = new RsaSecurityKey(rsa) { KeyId = current.Kid };
        }
        else
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
            privateKey = new ECDsaSecurityKey(ecdsa) { KeyId = current.Kid };
        }
        var signing = new SigningCredentials(privateKey, current.Algorithm);
        var jwks = rows.Select(row => JsonDocument.Parse(row.PublicJwk).RootElement.Clone()).ToList();
        return new KeySet(signing, published, jwks, now + options.Value.SigningKeys.ReloadInterval);
    }

    private sealed record KeySet(SigningCredentials Current, IReadOnlyList<SecurityKey> Published, IReadOnlyList<JsonElement> PublicJwks, DateTimeOffset FreshUntil);
}
