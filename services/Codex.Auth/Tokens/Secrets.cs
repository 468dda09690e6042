using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Codex.Auth.Tokens;

/// <summary>Opaque secrets (refresh tokens, API keys): 256 random bits, stored only as SHA-256.</summary>
public static class Secrets
{
    /// <summary>A new secret: <paramref name="prefix"/> followed by 43 base64url characters.</summary>
    public static string New(string prefix) => prefix + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>What the database keeps.</summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
