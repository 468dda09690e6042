using System.Net;
using System.Net.Http.Json;
using Codex.Auth.Contracts;
using Codex.Auth.Identity;
using Codex.Testing.Auth;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Codex.Auth.Tests;

public sealed class MfaTests(AuthService auth) : IClassFixture<AuthService>
{
    [Fact]
    public async Task Enrolment_answers_an_otpauth_uri_and_a_QR_image_and_changes_nothing_until_confirmed()
    {
        var admin = await auth.CreateTenantWithAdminAsync();

        var enrolment = await (await admin.Client.PostAsync("/api/v1/auth/mfa/totp/enroll", null)).ReadAsync<TotpEnrollmentResponse>();

        Assert.StartsWith("otpauth://totp/", enrolment.OtpauthUri);
        Assert.Contains($"secret={enrolment.Secret}", enrolment.OtpauthUri);
        Assert.StartsWith("data:image/png;base64,iVBOR", enrolment.QrCodePng);
        Assert.Equal(20, OtpNet.Base32Encoding.ToBytes(enrolment.Secret).Length);
        await auth.LoginAsync(admin.Email, AuthService.TenantPassword, admin.Tenant);
        Assert.DoesNotContain(enrolment.Secret, await auth.ScalarAsync<string>("SELECT coalesce(string_agg(value, ','), '') FROM user_tokens"));
    }

    [Fact]
    public async Task Codes_one_step_either_side_are_accepted_once_and_codes_two_steps_away_are_not()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var secret = await EnrolAsync(admin);

        await FreshStepAsync();
        using var confirm = await admin.Client.PostAsJsonAsync("/api/v1/auth/mfa/totp/verify", new MfaCodeRequest(CodeAt(secret, -1)));
        var recovery = await confirm.ReadAsync<RecoveryCodesResponse>();
        Assert.Equal(10, recovery.RecoveryCodes.Count);

        using var withoutCode = await Login(admin, null);
        await withoutCode.AssertProblemAsync(HttpStatusCode.Unauthorized, "mfa_required");
        await FreshStepAsync();
        using var twoAhead = await Login(admin, CodeAt(secret, +2));
        await twoAhead.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_mfa_code");
        using var twoBehind = await Login(admin, CodeAt(secret, -2));
        await twoBehind.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_mfa_code");
        var oneAhead = CodeAt(secret, +1);
        using var accepted = await Login(admin, oneAhead);
        var tokens = await accepted.ReadAsync<TokenResponse>();
        Assert.Contains(new JsonWebToken(tokens.AccessToken).Claims, c => c.Type == "amr" && c.Value == "mfa");
        using var replayed = await Login(admin, oneAhead);
        await replayed.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_mfa_code");
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once_and_is_stored_only_as_a_hash()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var secret = await EnrolAsync(admin);
        await FreshStepAsync();
        var codes = await (await admin.Client.PostAsJsonAsync("/api/v1/auth/mfa/totp/verify", new MfaCodeRequest(CodeAt(secret, 0)))).ReadAsync<RecoveryCodesResponse>();

        using var first = await Login(admin, codes.RecoveryCodes[0]);
        using var again = await Login(admin, codes.RecoveryCodes[0]);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await again.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_mfa_code");
        var stored = await auth.ScalarAsync<string>("SELECT coalesce(string_agg(value, ','), '') FROM user_tokens");
        Assert.All(codes.RecoveryCodes, code => Assert.DoesNotContain(code, stored));
    }

    [Fact]
    public async Task Disabling_needs_a_code_and_then_sign_in_asks_for_one_no_more()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var secret = await EnrolAsync(admin);
        await FreshStepAsync();
        await (await admin.Client.PostAsJsonAsync("/api/v1/auth/mfa/totp/verify", new MfaCodeRequest(CodeAt(secret, -1)))).ReadAsync<RecoveryCodesResponse>();

        using var wrong = await admin.Client.PostAsJsonAsync("/api/v1/auth/mfa/totp/disable", new MfaCodeRequest("000000"));
        using var right = await admin.Client.PostAsJsonAsync("/api/v1/auth/mfa/totp/disable", new MfaCodeRequest(CodeAt(secret, 0)));

        await wrong.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, right.StatusCode);
        await auth.LoginAsync(admin.Email, AuthService.TenantPassword, admin.Tenant);
        Assert.NotNull(await auth.LastEventAsync("auth.user.mfa_disabled"));
    }

    private async Task<string> EnrolAsync(TenantAdmin admin) =>
        (await (await admin.Client.PostAsync("/api/v1/auth/mfa/totp/enroll", null)).ReadAsync<TotpEnrollmentResponse>()).Secret;

    private Task<HttpResponseMessage> Login(TenantAdmin admin, string? code) =>
        auth.Client.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(admin.Email, AuthService.TenantPassword, admin.Tenant, code));

    private static string CodeAt(string secret, int stepsFromNow) =>
        new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow.AddSeconds(TotpTokenProvider.StepSeconds * stepsFromNow));

    /// <summary>Waits out the end of a time step, so "one step ahead" cannot become "now" mid-test.</summary>
    private static async Task FreshStepAsync()
    {
        var left = TotpTokenProvider.StepSeconds - DateTimeOffset.UtcNow.ToUnixTimeSeconds() % TotpTokenProvider.StepSeconds;
        if (left < 8)
        {
            await Task.Delay(TimeSpan.FromSeconds(left + 0.5));
        }
    }
}
