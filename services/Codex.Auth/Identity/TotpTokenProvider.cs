using Microsoft.AspNetCore.Identity;

namespace Codex.Auth.Identity;

/// <summary>
/// Identity's authenticator provider, tightened: a code is accepted within one time step either side
/// (Identity's own accepts two), and never twice.
/// </summary>
public sealed class TotpTokenProvider(TimeProvider clock) : IUserTwoFactorTokenProvider<Model.User>
{
    public const string Name = "CodexTotp";

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<Model.User> manager, Model.User user) =>
        Task.FromResult(false);

    public Task<string> GenerateAsync(string purpose, UserManager<Model.User> manager, Model.User user) =>
        throw new NotSupportedException("TOTP codes come from the user's authenticator app.");

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<Model.User> manager, Model.User user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }
        var step = Totp.Match(Base32.Decode(key), token.Replace(" ", "", StringComparison.Ordinal), clock.GetUtcNow());
        if (step is null || step <= user.LastTotpStep)
        {
            return false;
        }
        user.LastTotpStep = step;
        return true;
    }
}
