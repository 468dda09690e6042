using System.Net;
using System.Net.Http.Json;
using Codex.Auth.Contracts;
using Codex.Testing.Auth;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Codex.Auth.Tests;

public sealed class UsersAdminTests(AuthService auth) : IClassFixture<AuthService>
{
    private const string InvitedPassword = "Invited-User-Pass-2026";

    [Fact]
    public async Task A_tenant_admin_creates_a_user_with_a_password_who_can_then_sign_in()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var email = $"ann@{admin.Tenant}.test";

        using var response = await admin.Client.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest(email, AuthService.TenantPassword));
        var user = await response.ReadAsync<UserDto>();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(email, user.Email);
        Assert.Equal(admin.Tenant, user.TenantId);
        Assert.Equal("user", user.Role);
        Assert.True(user.IsActive);
        var tokens = await auth.LoginAsync(email, AuthService.TenantPassword, admin.Tenant);
        Assert.Equal(user.Id.ToString(), new JsonWebToken(tokens.AccessToken).Subject);
        var registered = await auth.LastEventAsync("auth.user.registered");
        Assert.Equal(user.Id, registered!.Value.GetProperty("userId").GetGuid());
        Assert.Equal(admin.Tenant, registered!.Value.GetProperty("tenantId").GetString());
    }

    [Fact]
    public async Task A_user_created_without_a_password_is_invited_and_the_invitation_sets_the_password_and_verifies_the_email()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var email = $"invitee@{admin.Tenant}.test";

        using var response = await admin.Client.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest(email));
        var invitee = await response.ReadAsync<UserDto>();
        var invited = await auth.LastEventAsync("auth.user.invited");
        using var beforeAccepting = await auth.Client.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(email, InvitedPassword, admin.Tenant));
        var invitationToken = invited!.Value.GetProperty("invitationToken").GetString()!;
        using var accept = await auth.Client.PostAsJsonAsync("/api/v1/auth/password/reset", new ResetPasswordRequest(email, invitationToken, InvitedPassword, admin.Tenant));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(invitee.EmailVerified);
        Assert.Equal(invitee.Id, invited!.Value.GetProperty("userId").GetGuid());
        Assert.Equal(email, invited!.Value.GetProperty("email").GetString());
        await beforeAccepting.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Equal(HttpStatusCode.NoContent, accept.StatusCode);
        var tokens = await auth.LoginAsync(email, InvitedPassword, admin.Tenant);
        using var client = auth.ClientWith(tokens.AccessToken);
        var me = await (await client.GetAsync("/api/v1/auth/me")).ReadAsync<MeResponse>();
        Assert.Equal(invitee.Id, me.Id);
        Assert.True(me.EmailVerified);
    }

    [Fact]
    public async Task The_same_email_twice_in_one_tenant_is_a_conflict_but_another_tenant_may_use_it()
    {
        var tenantA = await auth.CreateTenantWithAdminAsync();
        var tenantB = await auth.CreateTenantWithAdminAsync();
        var email = $"shared-{tenantA.Tenant}@codex.test";

        using var first = await tenantA.Client.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest(email, AuthService.TenantPassword));
        using var second = await tenantA.Client.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest(email, AuthService.TenantPassword));
        using var otherTenant = await tenantB.Client.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest(email, AuthService.TenantPassword));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await second.AssertProblemAsync(HttpStatusCode.Conflict, "duplicate_email");
        Assert.Equal(HttpStatusCode.Created, otherTenant.StatusCode);
        Assert.Equal(1, await auth.ScalarAsync<long>($"SELECT count(*) FROM users WHERE email = '{email}' AND tenant_id = '{tenantA.Tenant}'"));
        Assert.Equal(1, await auth.ScalarAsync<long>($"SELECT count(*) FROM users WHERE email = '{email}' AND tenant_id = '{tenantB.Tenant}'"));
    }

    [Fact]
    public async Task Users_are_listed_a_page_at_a_time_and_searched_by_email()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var part = $"find{Guid.NewGuid():N}"[..12];
        for (var i = 1; i <= 3; i++)
        {
            await auth.CreateUserAsync(admin.Tenant, $"{part}-{i}@{admin.Tenant}.test", null);
        }
        await auth.CreateUserAsync(admin.Tenant, $"someone-else@{admin.Tenant}.test", null);

        var firstPage = await (await admin.Client.GetAsync($"/api/v1/auth/users?search={part}&page=1&pageSize=2")).ReadAsync<PagedList<UserDto>>();
        var secondPage = await (await admin.Client.GetAsync($"/api/v1/auth/users?search={part}&page=2&pageSize=2")).ReadAsync<PagedList<UserDto>>();
        using var tooLarge = await admin.Client.GetAsync($"/api/v1/auth/users?search={part}&page=1&pageSize=500");

        Assert.Equal(2, firstPage.Items.Count);
        Assert.Equal(3, firstPage.Total);
        Assert.Equal(1, firstPage.Page);
        Assert.Equal(2, firstPage.PageSize);
        Assert.Single(secondPage.Items);
        Assert.Equal(3, secondPage.Total);
        var found = firstPage.Items.Concat(secondPage.Items).ToList();
        Assert.All(found, u => Assert.Contains(part, u.Email));
        Assert.Equal(3, found.Select(u => u.Id).Distinct().Count());
        await tooLarge.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task A_deactivated_user_cannot_sign_in_or_refresh_until_reactivated()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var email = $"leaver@{admin.Tenant}.test";
        var user = await auth.CreateUserAsync(admin.Tenant, email, AuthService.TenantPassword);
        var earlier = await auth.LoginAsync(email, AuthService.TenantPassword, admin.Tenant);

        using var deactivate = await admin.Client.PostAsync($"/api/v1/auth/users/{user.Id}/deactivate", null);
        using var login = await auth.Client.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(email, AuthService.TenantPassword, admin.Tenant));
        using var refresh = await auth.Client.PostAsJsonAsync("/api/v1/auth/refresh", new RefreshRequest(earlier.RefreshToken));

        Assert.False((await deactivate.ReadAsync<UserDto>()).IsActive);
        await login.AssertProblemAsync(HttpStatusCode.Forbidden, "account_disabled");
        await refresh.AssertProblemAsync(HttpStatusCode.Unauthorized, "session_ended");
        var deactivated = await auth.LastEventAsync("auth.user.deactivated");
        Assert.Equal(user.Id, deactivated!.Value.GetProperty("userId").GetGuid());
        using var reactivate = await admin.Client.PostAsync($"/api/v1/auth/users/{user.Id}/reactivate", null);
        Assert.True((await reactivate.ReadAsync<UserDto>()).IsActive);
        var again = await auth.LoginAsync(email, AuthService.TenantPassword, admin.Tenant);
        Assert.Equal(user.Id.ToString(), new JsonWebToken(again.AccessToken).Subject);
    }

    [Fact]
    public async Task A_plain_user_may_neither_create_nor_list_users()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var email = $"plain@{admin.Tenant}.test";
        await auth.CreateUserAsync(admin.Tenant, email, AuthService.TenantPassword, ["user"]);
        var tokens = await auth.LoginAsync(email, AuthService.TenantPassword, admin.Tenant);
        using var plain = auth.ClientWith(tokens.AccessToken);
        var usersBefore = await auth.ScalarAsync<long>("SELECT count(*) FROM users");

        using var create = await plain.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest($"sneaky@{admin.Tenant}.test", AuthService.TenantPassword, ["admin"]));
        using var list = await plain.GetAsync("/api/v1/auth/users");

        await create.AssertProblemAsync(HttpStatusCode.Forbidden);
        await list.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(usersBefore, await auth.ScalarAsync<long>("SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task A_tenant_admin_can_neither_see_nor_deactivate_another_tenants_user()
    {
        var tenantA = await auth.CreateTenantWithAdminAsync();
        var tenantB = await auth.CreateTenantWithAdminAsync();
        var bUser = await auth.CreateUserAsync(tenantB.Tenant, $"bob@{tenantB.Tenant}.test", AuthService.TenantPassword);
        using var aClaimingB = auth.ClientWith(tenantA.Tokens.AccessToken, tenantB.Tenant);

        using var get = await tenantA.Client.GetAsync($"/api/v1/auth/users/{bUser.Id}");
        using var deactivate = await tenantA.Client.PostAsync($"/api/v1/auth/users/{bUser.Id}/deactivate", null);
        using var deactivateWithHeader = await aClaimingB.PostAsync($"/api/v1/auth/users/{bUser.Id}/deactivate", null);
        using var listWithHeader = await aClaimingB.GetAsync("/api/v1/auth/users");

        await get.AssertProblemAsync(HttpStatusCode.NotFound);
        await deactivate.AssertProblemAsync(HttpStatusCode.NotFound);
        await deactivateWithHeader.AssertProblemAsync(HttpStatusCode.Forbidden, "tenant_mismatch");
        await listWithHeader.AssertProblemAsync(HttpStatusCode.Forbidden, "tenant_mismatch");
        Assert.True(await auth.ScalarAsync<bool>($"SELECT is_active FROM users WHERE id = '{bUser.Id}'"));
    }

    [Fact]
    public async Task An_invalid_email_a_short_password_or_a_common_password_is_refused_and_nothing_is_stored()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var badEmail = "not-an-email";
        var shortEmail = $"short@{admin.Tenant}.test";
        var commonEmail = $"common@{admin.Tenant}.test";

        using var invalidEmail = await admin.Client.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest(badEmail, AuthService.TenantPassword));
        using var tooShort = await admin.Client.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest(shortEmail, "short"));
        using var common = await admin.Client.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest(commonEmail, "passwordpassword"));

        var emailProblem = await invalidEmail.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(emailProblem.TryGetProperty("errors", out var emailErrors), $"the problem names no field errors: {emailProblem}");
        Assert.True(emailErrors.TryGetProperty("Email", out _) || emailErrors.TryGetProperty("email", out _), $"no error for the email: {emailErrors}");
        var shortProblem = await tooShort.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(shortProblem.GetProperty("errors").TryGetProperty("password", out _), $"no error for the password: {shortProblem}");
        var commonProblem = await common.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(commonProblem.GetProperty("errors").TryGetProperty("password", out _), $"no error for the password: {commonProblem}");
        Assert.Equal(0, await auth.ScalarAsync<long>($"SELECT count(*) FROM users WHERE email IN ('{badEmail}', '{shortEmail}', '{commonEmail}')"));
    }
}
