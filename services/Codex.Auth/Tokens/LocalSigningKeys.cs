using Codex.Security.Authentication;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Codex.Auth.Tokens;

/// <summary>
/// Auth validates its own tokens against its key store directly rather than over HTTP: the same
/// JwtBearer validation every other service runs, with the keys from the source.
/// </summary>
public sealed class LocalSigningKeys(SigningKeyStore store) : BaseConfigurationManager, IConfigurationManager<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel) =>
        SigningKeys.Of(await store.PublishedAsync(cancel));

    public override async Task<BaseConfiguration> GetBaseConfigurationAsync(CancellationToken cancel) =>
        await GetConfigurationAsync(cancel);

    public override void RequestRefresh() => store.Invalidate();
}
