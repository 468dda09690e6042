using Codex.Security.Authentication;
using Microsoft.IdentityModel.Tokens;

namespace Codex.Auth.Tokens;

/// <summary>
/// Auth validates its own tokens against its key store directly rather than over HTTP: the same
/// validation every other service runs, with the keys from the source.
/// </summary>
public sealed class LocalSigningKeys(SigningKeyStore store) : BaseConfigurationManager
{
    public override async Task<BaseConfiguration> GetBaseConfigurationAsync(CancellationToken cancel) =>
        JwksConfiguration.Of(await store.PublishedAsync(cancel));

    public override void RequestRefresh() => store.Invalidate();
}
