using Microsoft.AspNetCore.Identity;
using OtpNet;

namespace Codex.Auth.Identity;

/// <summary>
/// Identity's authenticator provider on Otp.NET (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits, what every
/// authenticator app speaks), tightened: a code is accepted within one time step either side (Identity's
/// own accepts two), and never twice.
/// </summary>
public sealed class TotpTokenProvider(TimeProvider clock) : IUserTwoFactorTokenProvider<Model.User>
{
    public const string Name = "CodexTotp";
    public const int StepSeconds = 30;
    public const int Digits = 6;

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
        var step = MatchStep(key, token, clock.GetUtcNow());
        if (step is null || step <= user.LastTotpStep)
        {
            return false;
        }
        user.LastTotpStep = step;
        return true;
    }

    /// <summary>
    /// The time step <paramref name="code"/> belongs to, looking one step either side of now (clock drift),
    /// or null. <paramref name="base32Key"/> is the key as Identity stores it and the app was given it.
    /// </summary>
    public static long? MatchStep(string base32Key, string code, DateTimeOffset now)
    {
        code = code.Replace(" ", "", StringComparison.Ordinal);
        if (code.Length != Digits || !code.All(char.IsAsciiDigit))
        {
            return null;
        }
        var totp = new Totp(Base32Encoding.ToBytes(base32Key), StepSeconds, OtpHashMode.Sha1, Digits);
        return totp.VerifyTotp(now.UtcDateTime, code, out var step, new VerificationWindow(previous: 1, future: 1)) ? step : null;
    }
}
