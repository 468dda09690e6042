using System.Net;
using System.Net.Http.Json;
using Codex.Auth.Contracts;
using Codex.Testing.Auth;
using Codex.Security;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Codex.Auth.Tests;

public sealed class SignInTests(AuthService auth) : IClassFixture<AuthService>
{
    [Fact]
    public async Task Superadmin_signs_in_without_a_tenant_and_gets_an_RS256_token_for_15_minutes()
    {
        var tokens = await auth.LoginSuperadminAsync();

        var jwt = new JsonWebToken(tokens.AccessToken);
        Assert.Equal("RS256", jwt.Alg);
        Assert.False(string.IsNullOrEmpty(jwt.Kid));
        Assert.Equal(CodexClaims.PlatformTenant, jwt.GetClaim(CodexClaims.Tenant).Value);
        Assert.Contains(jwt.Claims, c => c.Type == CodexClaims.Role && c.Value == "superadmin");
        Assert.Equal(900, tokens.ExpiresIn);
        Assert.InRange((jwt.ValidTo - jwt.ValidFrom).TotalMinutes, 14.9, 15.1);
        Assert.StartsWith("cdxr_", tokens.RefreshToken);
    }

    [Fact]
    public async Task Me_answers_the_user_with_roles_and_effective_permissions()
    {
        var admin = await auth.CreateTenantWithAdminAsync();

        var me = await (await admin.Client.GetAsync("/api/v1/auth/me")).ReadAsync<MeResponse>();

        Assert.Equal(admin.Tenant, me.TenantId);
        Assert.Equal(admin.Email, me.Email);
        Assert.Contains("admin", me.Roles);
        Assert.Contains("auth.*", me.Permissions);
    }

    [Fact]
    public async Task A_tenant_user_names_the_tenant_in_the_body_or_by_the_gateway_header()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        using var viaHeader = new HttpClient { BaseAddress = auth.App.Address };
        viaHeader.DefaultRequestHeaders.Add(CodexHeaders.TenantId, admin.Tenant);

        using var withHeader = await viaHeader.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(admin.Email, AuthService.TenantPassword));
        using var withoutTenant = await auth.Client.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(admin.Email, AuthService.TenantPassword));

        Assert.Equal(HttpStatusCode.OK, withHeader.StatusCode);
        await withoutTenant.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_answer_the_same_401_and_are_recorded()
    {
        var admin = await auth.CreateTenantWithAdminAsync();

        using var wrongPassword = await auth.Client.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(admin.Email, "not-the-password-at-all", admin.Tenant));
        using var unknown = await auth.Client.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest("nobody@x.test", "not-the-password-at-all", admin.Tenant));

        var a = await wrongPassword.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        var b = await unknown.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Equal(a.GetProperty("detail").GetString(), b.GetProperty("detail").GetString());
        Assert.Equal(2, await auth.ScalarAsync<long>($"SELECT count(*) FROM auth_events WHERE tenant_id = '{admin.Tenant}' AND type = 'login_failed'"));
        var failed = await auth.LastEventAsync("auth.user.login_failed");
        Assert.Equal(admin.Tenant, failed!.Value.GetProperty("tenantId").GetString());
    }

    [Fact]
    public async Task Refresh_rotates_the_token_and_the_old_one_no_longer_works()
    {
        var first = await auth.LoginSuperadminAsync();

        var second = await (await auth.Client.PostAsJsonAsync("/api/v1/auth/refresh", new RefreshRequest(first.RefreshToken))).ReadAsync<TokenResponse>();

        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal(new JsonWebToken(first.AccessToken).GetClaim(CodexClaims.Session).Value, new JsonWebToken(second.AccessToken).GetClaim(CodexClaims.Session).Value);
        var third = await (await auth.Client.PostAsJsonAsync("/api/v1/auth/refresh", new RefreshRequest(second.RefreshToken))).ReadAsync<TokenResponse>();
        Assert.NotNull(third.AccessToken);
    }

    [Fact]
    public async Task Reusing_a_rotated_refresh_token_revokes_the_whole_family_and_records_a_security_event()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var rotated = await (await auth.Client.PostAsJsonAsync("/api/v1/auth/refresh", new RefreshRequest(admin.Tokens.RefreshToken))).ReadAsync<TokenResponse>();

        using var reuse = await auth.Client.PostAsJsonAsync("/api/v1/auth/refresh", new RefreshRequest(admin.Tokens.RefreshToken));
        using var successor = await auth.Client.PostAsJsonAsync("/api/v1/auth/refresh", new RefreshRequest(rotated.RefreshToken));

        await reuse.AssertProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
        await successor.AssertProblemAsync(HttpStatusCode.Unauthorized, "session_ended");
        var session = new JsonWebToken(admin.Tokens.AccessToken).GetClaim(CodexClaims.Session).Value;
        Assert.Equal("refresh_token_reused", await auth.ScalarAsync<string>($"SELECT revoked_reason FROM sessions WHERE id = '{session}'"));
        Assert.Equal(1, await auth.ScalarAsync<long>($"SELECT count(*) FROM auth_events WHERE tenant_id = '{admin.Tenant}' AND type = 'refresh_token_reused'"));
        var reused = await auth.LastEventAsync("auth.refresh_token.reused");
        Assert.Equal(session, reused!.Value.GetProperty("sessionFamilyId").GetString());
    }

    [Fact]
    public async Task Logout_ends_the_session_so_its_refresh_token_is_refused()
    {
        var admin = await auth.CreateTenantWithAdminAsync();

        using var logout = await admin.Client.PostAsync("/api/v1/auth/logout", null);
        using var refresh = await auth.Client.PostAsJsonAsync("/api/v1/auth/refresh", new RefreshRequest(admin.Tokens.RefreshToken));

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await refresh.AssertProblemAsync(HttpStatusCode.Unauthorized, "session_ended");
        Assert.NotNull(await auth.LastEventAsync("auth.user.logged_out"));
    }

    [Fact]
    public async Task Users_list_and_revoke_their_own_sessions_and_an_admin_revokes_anyones_in_the_tenant()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        await auth.CreateUserAsync(admin.Tenant, $"user@{admin.Tenant}.test", AuthService.TenantPassword, ["user"]);
        var phone = await auth.LoginAsync($"user@{admin.Tenant}.test", AuthService.TenantPassword, admin.Tenant);
        var laptop = await auth.LoginAsync($"user@{admin.Tenant}.test", AuthService.TenantPassword, admin.Tenant);
        using var user = auth.ClientWith(laptop.AccessToken);

        var mine = await (await user.GetAsync("/api/v1/auth/sessions")).ReadAsync<List<SessionDto>>();
        Assert.Equal(2, mine.Count);
        Assert.Single(mine, s => s.Current);
        var phoneSession = mine.Single(s => !s.Current);

        using var userRevokesAdmins = await user.DeleteAsync($"/api/v1/auth/sessions/{new JsonWebToken(admin.Tokens.AccessToken).GetClaim(CodexClaims.Session).Value}");
        await userRevokesAdmins.AssertProblemAsync(HttpStatusCode.NotFound);
        using var adminRevokes = await admin.Client.DeleteAsync($"/api/v1/auth/sessions/{phoneSession.Id}");
        Assert.Equal(HttpStatusCode.NoContent, adminRevokes.StatusCode);
        using var phoneRefresh = await auth.Client.PostAsJsonAsync("/api/v1/auth/refresh", new RefreshRequest(phone.RefreshToken));
        await phoneRefresh.AssertProblemAsync(HttpStatusCode.Unauthorized, "session_ended");
    }
}
