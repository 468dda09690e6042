using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace Codex.Security.Authentication;

/// <summary>Auth's published signing keys, in the shape IdentityModel's validation refreshes.</summary>
public sealed class JwksConfiguration : BaseConfiguration
{
    /// <summary>A configuration holding <paramref name="keys"/>.</summary>
    public static JwksConfiguration Of(IEnumerable<SecurityKey> keys)
    {
        var configuration = new JwksConfiguration();
        foreach (var key in keys)
        {
            configuration.SigningKeys.Add(key);
        }
        return configuration;
    }
}

/// <summary>Reads a JWKS document (RFC 7517) into a <see cref="JwksConfiguration"/>.</summary>
/// <remarks>
/// Keys are converted once to RSA/ECDsa keys: verifying against a JsonWebKey converts it on every call.
/// </remarks>
public sealed class JwksRetriever : IConfigurationRetriever<JwksConfiguration>
{
    public async Task<JwksConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        var document = await retriever.GetDocumentAsync(address, cancel);
        return JwksConfiguration.Of(new JsonWebKeySet(document).GetSigningKeys().Select(AsNativeKey));
    }

    /// <summary>The RSA or ECDsa key a JWK describes, keeping its <c>kid</c>; other keys as they are.</summary>
    public static SecurityKey AsNativeKey(SecurityKey key) =>
        key is JsonWebKey jwk && JsonWebKeyConverter.TryConvertToSecurityKey(jwk, out var native) ? native : key;
}
