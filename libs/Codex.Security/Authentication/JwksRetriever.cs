using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Codex.Security.Authentication;

/// <summary>
/// Reads Auth's JWKS document (RFC 7517) into the configuration JwtBearer validates against. Auth publishes
/// keys only, not an OpenID discovery document, so IdentityModel's own retriever (which reads discovery
/// first) does not fit; this is the JWKS half of it.
/// </summary>
public sealed class JwksRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel) =>
        SigningKeys.Of(new JsonWebKeySet(await retriever.GetDocumentAsync(address, cancel)).GetSigningKeys().Select(SigningKeys.AsNativeKey));
}

/// <summary>Signing keys in the shape JwtBearer and IdentityModel refresh.</summary>
public static class SigningKeys
{
    /// <summary>A configuration holding <paramref name="keys"/> and nothing else.</summary>
    public static OpenIdConnectConfiguration Of(IEnumerable<SecurityKey> keys)
    {
        var configuration = new OpenIdConnectConfiguration();
        foreach (var key in keys)
        {
            configuration.SigningKeys.Add(key);
        }
        return configuration;
    }

    /// <summary>
    /// The RSA or ECDsa key a JWK describes, keeping its <c>kid</c>; other keys as they are. Verifying against
    /// a <see cref="JsonWebKey"/> converts it on every call; converting once saves that.
    /// </summary>
    public static SecurityKey AsNativeKey(SecurityKey key) =>
        key is JsonWebKey jwk && JsonWebKeyConverter.TryConvertToSecurityKey(jwk, out var native) ? native : key;
}
