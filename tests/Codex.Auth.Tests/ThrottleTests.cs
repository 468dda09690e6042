using System.Net;
using System.Net.Http.Json;
using Codex.Auth.Contracts;
using Codex.Auth.Identity;
using Codex.Testing.Auth;

namespace Codex.Auth.Tests;

/// <summary>Auth with throttle rules small enough to reach in a test (delays of a fraction of a second).</summary>
public sealed class ThrottledAuth : IAsyncLifetime
{
    public AuthService Auth { get; } = new();

    public async ValueTask InitializeAsync()
    {
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["Auth:Lockout:MaxFailedAttempts"] = "5",
            ["Auth:Lockout:Duration"] = "00:00:30",
            ["Auth:Throttle:AccountFromSource:Free"] = "3",
            ["Auth:Throttle:AccountFromSource:FirstDelay"] = "00:00:00.2",
            ["Auth:Throttle:AccountFromSource:MaxDelay"] = "00:00:01",
            ["Auth:Throttle:Account:Free"] = "8",
            ["Auth:Throttle:Account:FirstDelay"] = "00:00:00.2",
            ["Auth:Throttle:Account:MaxDelay"] = "00:00:02",
            ["Auth:Throttle:Source:Free"] = "6",
            ["Auth:Throttle:Source:FirstDelay"] = "00:00:00.2",
            ["Auth:Throttle:Source:MaxDelay"] = "00:00:01",
            ["Auth:Throttle:ResetRequests:Free"] = "2",
            ["Auth:Throttle:ResetRequests:FirstDelay"] = "00:01:00",
        })
        {
            Auth.Settings[key] = value;
        }
        await Auth.InitializeAsync();
    }

    public ValueTask DisposeAsync() => Auth.DisposeAsync();
}

/// <summary>
/// Guessing is slowed, never turned into a way to lock the owner out: progressive delays per account and
/// address, per account, per address; a lock only for the guessing address and only without a second factor.
/// Each test uses addresses of its own (Auth trusts the forwarded address from loopback, as from the gateway).
/// </summary>
public sealed class ThrottleTests(ThrottledAuth throttled) : IClassFixture<ThrottledAuth>
{
    private AuthService Auth => throttled.Auth;

    [Fact]
    public async Task An_attacker_is_slowed_then_locked_out_from_their_address_while_the_owner_signs_in_from_elsewhere()
    {
        var admin = await Auth.CreateTenantWithAdminAsync();
        var attacker = NewAddress();
        var owner = NewAddress();

        for (var i = 0; i < 3; i++)
        {
            using var wrong = await LoginAsync(admin, "wrong-password-guess", attacker);
            await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }
        using (var tooSoon = await LoginAsync(admin, "wrong-password-guess", attacker))
        {
            await tooSoon.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
            Assert.True(tooSoon.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        }
        using (var ownerMeanwhile = await LoginAsync(admin, AuthService.TenantPassword, owner))
        {
            Assert.Equal(HttpStatusCode.OK, ownerMeanwhile.StatusCode);
        }

        // Two more guesses, each after its wait: the fifth failure locks this address out of the account.
        Assert.Equal(2, await GuessPatientlyAsync(admin, attacker, failures: 2));
        using (var locked = await LoginAsync(admin, AuthService.TenantPassword, attacker))
        {
            await locked.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
            Assert.True(locked.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(20), $"{locked.Headers.RetryAfter}");
        }
        using (var ownerStill = await LoginAsync(admin, AuthService.TenantPassword, owner))
        {
            Assert.Equal(HttpStatusCode.OK, ownerStill.StatusCode);
        }
        Assert.Equal(1, await Auth.ScalarAsync<long>($"SELECT count(*) FROM auth_events WHERE tenant_id = '{admin.Tenant}' AND type = 'locked_out'"));
        Assert.Equal(admin.Tenant, (await Auth.LastEventAsync("auth.user.locked_out"))!.Value.GetProperty("tenantId").GetString());
    }

    [Fact]
    public async Task An_account_with_a_second_factor_is_slowed_but_never_locked()
    {
        var admin = await Auth.CreateTenantWithAdminAsync();
        var secret = await EnrolAsync(admin);
        var attacker = NewAddress();

        Assert.Equal(6, await GuessPatientlyAsync(admin, attacker, failures: 6));

        // The delays are capped at a second here; after it, the right password and code pass from the same address.
        await Task.Delay(TimeSpan.FromSeconds(1.1), TestContext.Current.CancellationToken);
        using var response = await LoginAsync(admin, AuthService.TenantPassword, attacker, Code(secret));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task One_address_guessing_over_many_accounts_is_slowed_and_others_are_not()
    {
        var tenant = await Auth.CreateTenantAsync();
        var stuffer = NewAddress();
        for (var i = 0; i < 6; i++)
        {
            using var wrong = await LoginAsync(tenant, $"victim{i}@{tenant}.test", "leaked-password-1", stuffer);
            await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        using var slowed = await LoginAsync(tenant, $"victim-next@{tenant}.test", "leaked-password-1", stuffer);
        using var elsewhere = await LoginAsync(tenant, $"victim-next@{tenant}.test", "leaked-password-1", NewAddress());

        await slowed.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
        await elsewhere.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task Forgot_password_mail_is_throttled_alike_for_known_and_unknown_emails()
    {
        var admin = await Auth.CreateTenantWithAdminAsync();

        foreach (var email in new[] { admin.Email, $"ghost@{admin.Tenant}.test" })
        {
            var from = NewAddress();
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 3; i++)
            {
                using var response = await SendAsync("/api/v1/auth/password/forgot", new ForgotPasswordRequest(email, admin.Tenant), from);
                statuses.Add(response.StatusCode);
            }
            Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], statuses);
        }
    }

    [Fact]
    public async Task Wrong_refresh_tokens_slow_their_address_and_no_one_else()
    {
        var admin = await Auth.CreateTenantWithAdminAsync();
        var guesser = NewAddress();
        for (var i = 0; i < 6; i++)
        {
            using var wrong = await SendAsync("/api/v1/auth/refresh", new RefreshRequest($"guess-{i}"), guesser);
            await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
        }

        using var slowed = await SendAsync("/api/v1/auth/refresh", new RefreshRequest("guess-next"), guesser);
        using var owner = await SendAsync("/api/v1/auth/refresh", new RefreshRequest(admin.Tokens.RefreshToken), NewAddress());

        await slowed.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Fact]
    public async Task Wrong_second_factor_codes_are_slowed()
    {
        var admin = await Auth.CreateTenantWithAdminAsync();
        await EnrolAsync(admin);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await admin.Client.PostAsJsonAsync("/api/v1/auth/mfa/totp/disable", new MfaCodeRequest("000000"));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], statuses);
    }

    /// <summary>Wrong passwords from <paramref name="from"/>, each after the wait it is told, until <paramref name="failures"/> were counted.</summary>
    private async Task<int> GuessPatientlyAsync(TenantAdmin admin, string from, int failures)
    {
        var counted = 0;
        for (var tries = 0; counted < failures && tries < 40; tries++)
        {
            using var response = await LoginAsync(admin, "wrong-password-guess", from);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
                continue;
            }
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            counted++;
        }
        return counted;
    }

    private async Task<string> EnrolAsync(TenantAdmin admin)
    {
        var secret = (await (await admin.Client.PostAsync("/api/v1/auth/mfa/totp/enroll", null)).ReadAsync<TotpEnrollmentResponse>()).Secret;
        using var confirm = await admin.Client.PostAsJsonAsync("/api/v1/auth/mfa/totp/verify", new MfaCodeRequest(Code(secret, -1)));
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        return secret;
    }

    // Enrolment spends the step behind now, sign-in the step ahead: a code is accepted once.
    private static string Code(string secret, int stepsFromNow = 1) =>
        new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow.AddSeconds(TotpTokenProvider.StepSeconds * stepsFromNow));

    private Task<HttpResponseMessage> LoginAsync(TenantAdmin admin, string password, string from, string? code = null) =>
        LoginAsync(admin.Tenant, admin.Email, password, from, code);

    private Task<HttpResponseMessage> LoginAsync(string tenant, string email, string password, string from, string? code = null) =>
        SendAsync("/api/v1/auth/login", new LoginRequest(email, password, tenant, code), from);

    private Task<HttpResponseMessage> SendAsync<T>(string path, T body, string from)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Forwarded-For", from);
        return Auth.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>A documentation address (TEST-NET-3) no other test uses.</summary>
    internal static string NewAddress() => $"203.0.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(1, 255)}";
}
