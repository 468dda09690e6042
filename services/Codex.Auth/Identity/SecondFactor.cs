using Microsoft.AspNetCore.Identity;

namespace Codex.Auth.Identity;

/// <summary>The second factor as sign-in and MFA changes accept it: a TOTP code, or else a recovery code (spent).</summary>
public static class SecondFactor
{
    public static async Task<bool> VerifyAsync(this UserManager<Model.User> users, Model.User user, string code)
    {
        var compact = code.Replace(" ", "", StringComparison.Ordinal);
        return (compact.Length == TotpTokenProvider.Digits && await users.VerifyTwoFactorTokenAsync(user, TotpTokenProvider.Name, compact))
            || (await users.RedeemTwoFactorRecoveryCodeAsync(user, code)).Succeeded;
    }
}
