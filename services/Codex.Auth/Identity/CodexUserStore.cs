using System.Security.Cryptography;
using System.Text;
using Codex.Auth.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace Codex.Auth.Identity;

/// <summary>
/// Identity's EF store, with the two secrets it would keep in plain text kept otherwise: recovery
/// codes are stored as SHA-256 hashes, and the TOTP secret is protected with Data Protection.
/// </summary>
public sealed class CodexUserStore(AuthDbContext context, IDataProtectionProvider dataProtection, IdentityErrorDescriber? describer = null)
    : UserOnlyStore<Model.User, AuthDbContext, Guid>(context, describer)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Codex.Auth.AuthenticatorKey");

    public override Task ReplaceCodesAsync(Model.User user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken) =>
        base.ReplaceCodesAsync(user, recoveryCodes.Select(HashCode), cancellationToken);

    public override Task<bool> RedeemCodeAsync(Model.User user, string code, CancellationToken cancellationToken) =>
        base.RedeemCodeAsync(user, HashCode(code), cancellationToken);

    public override Task SetAuthenticatorKeyAsync(Model.User user, string key, CancellationToken cancellationToken) =>
        base.SetAuthenticatorKeyAsync(user, _protector.Protect(key), cancellationToken);

    public override async Task<string?> GetAuthenticatorKeyAsync(Model.User user, CancellationToken cancellationToken)
    {
        var stored = await base.GetAuthenticatorKeyAsync(user, cancellationToken);
        return stored is null ? null : _protector.Unprotect(stored);
    }

    private static string HashCode(string code) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code.Trim().ToUpperInvariant())));
}
