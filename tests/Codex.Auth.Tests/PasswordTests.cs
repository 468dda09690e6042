using System.Net;
using System.Net.Http.Json;
using Codex.Auth.Contracts;
using Codex.Testing.Auth;

namespace Codex.Auth.Tests;

public sealed class PasswordTests(AuthService auth) : IClassFixture<AuthService>
{
    [Fact]
    public async Task Passwords_shorter_than_12_or_common_are_refused_with_field_errors()
    {
        var admin = await auth.CreateTenantWithAdminAsync();

        using var shortOne = await admin.Client.PostAsJsonAsync("/api/v1/auth/password/change", new ChangePasswordRequest(AuthService.TenantPassword, "Short-pw1!"));
        using var common = await admin.Client.PostAsJsonAsync("/api/v1/auth/password/change", new ChangePasswordRequest(AuthService.TenantPassword, "iloveyou1234"));

        var a = await shortOne.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var b = await common.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("12", a.GetProperty("errors").GetProperty("newPassword")[0].GetString());
        Assert.Contains("commonly used", b.GetProperty("errors").GetProperty("newPassword")[0].GetString());
        await auth.LoginAsync(admin.Email, AuthService.TenantPassword, admin.Tenant);
    }

    [Fact]
    public async Task Changing_the_password_needs_the_current_one()
    {
        var admin = await auth.CreateTenantWithAdminAsync();

        using var wrong = await admin.Client.PostAsJsonAsync("/api/v1/auth/password/change", new ChangePasswordRequest("not-my-password", "A-New-Password-2026"));
        using var right = await admin.Client.PostAsJsonAsync("/api/v1/auth/password/change", new ChangePasswordRequest(AuthService.TenantPassword, "A-New-Password-2026"));

        var problem = await wrong.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("currentPassword", out _));
        Assert.Equal(HttpStatusCode.NoContent, right.StatusCode);
        await auth.LoginAsync(admin.Email, "A-New-Password-2026", admin.Tenant);
        using var old = await auth.Client.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(admin.Email, AuthService.TenantPassword, admin.Tenant));
        await old.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Changing_the_password_ends_the_other_sessions_and_keeps_the_callers()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var elsewhere = await auth.LoginAsync(admin.Email, AuthService.TenantPassword, admin.Tenant);

        using var change = await admin.Client.PostAsJsonAsync("/api/v1/auth/password/change", new ChangePasswordRequest(AuthService.TenantPassword, "Changed-Password-2026"));

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        using var other = await auth.Client.PostAsJsonAsync("/api/v1/auth/refresh", new RefreshRequest(elsewhere.RefreshToken));
        await other.AssertProblemAsync(HttpStatusCode.Unauthorized, "session_ended");
        using var own = await auth.Client.PostAsJsonAsync("/api/v1/auth/refresh", new RefreshRequest(admin.Tokens.RefreshToken));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("password_changed", await auth.ScalarAsync<string>(
            $"SELECT revoked_reason FROM sessions WHERE tenant_id = '{admin.Tenant}' AND revoked_at IS NOT NULL"));
    }

    [Fact]
    public async Task Forgot_then_reset_sets_a_new_password_and_ends_every_session()
    {
        var admin = await auth.CreateTenantWithAdminAsync();

        using var forgot = await auth.Client.PostAsJsonAsync("/api/v1/auth/password/forgot", new ForgotPasswordRequest(admin.Email, admin.Tenant));
        Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        var requested = (await auth.LastEventAsync("auth.password_reset.requested"))!.Value;
        Assert.Equal(admin.Email, requested.GetProperty("email").GetString());
        var token = requested.GetProperty("resetToken").GetString()!;

        using var badToken = await auth.Client.PostAsJsonAsync("/api/v1/auth/password/reset", new ResetPasswordRequest(admin.Email, "not-a-token", "Reset-Password-2026", admin.Tenant));
        using var reset = await auth.Client.PostAsJsonAsync("/api/v1/auth/password/reset", new ResetPasswordRequest(admin.Email, token, "Reset-Password-2026", admin.Tenant));

        await badToken.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        using var oldSession = await auth.Client.PostAsJsonAsync("/api/v1/auth/refresh", new RefreshRequest(admin.Tokens.RefreshToken));
        await oldSession.AssertProblemAsync(HttpStatusCode.Unauthorized, "session_ended");
        await auth.LoginAsync(admin.Email, "Reset-Password-2026", admin.Tenant);
        Assert.NotNull(await auth.LastEventAsync("auth.user.password_reset"));
    }

    [Fact]
    public async Task Forgot_for_an_unknown_email_answers_the_same_202_and_publishes_nothing()
    {
        var tenant = await auth.CreateTenantAsync();
        var before = await auth.EventCountAsync("auth.password_reset.requested");

        using var forgot = await auth.Client.PostAsJsonAsync("/api/v1/auth/password/forgot", new ForgotPasswordRequest("ghost@nowhere.test", tenant));

        Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        Assert.Equal(before, await auth.EventCountAsync("auth.password_reset.requested"));
    }

    [Fact]
    public async Task Email_verification_sends_a_token_that_confirms_the_address()
    {
        var admin = await auth.CreateTenantWithAdminAsync();

        using var request = await admin.Client.PostAsync("/api/v1/auth/email/verification", null);
        var sent = (await auth.LastEventAsync("auth.user.email_verification_requested"))!.Value;
        using var verify = await auth.Client.PostAsJsonAsync("/api/v1/auth/email/verify",
            new VerifyEmailRequest(sent.GetProperty("userId").GetGuid(), sent.GetProperty("verificationToken").GetString()!));

        Assert.Equal(HttpStatusCode.Accepted, request.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, verify.StatusCode);
        var me = await (await admin.Client.GetAsync("/api/v1/auth/me")).ReadAsync<MeResponse>();
        Assert.True(me.EmailVerified);
    }
}
