using System.Net;
using System.Net.Http.Json;
using Codex.Auth.Contracts;
using Codex.Testing.Auth;
using Codex.Security;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Codex.Auth.Tests;

public sealed class RoleTests(AuthService auth) : IClassFixture<AuthService>
{
    private static readonly RoleRequest Sales = new("sales", ["crm.leads.write", "crm.customers.read"]);

    [Fact]
    public async Task A_tenant_admin_sees_the_system_roles_but_not_superadmin()
    {
        var admin = await auth.CreateTenantWithAdminAsync();

        var roles = await (await admin.Client.GetAsync("/api/v1/auth/roles")).ReadAsync<List<RoleDto>>();

        Assert.Contains(roles, r => r.Name == "admin" && r.IsSystem);
        Assert.Contains(roles, r => r.Name == "user" && r.IsSystem);
        Assert.Contains(roles, r => r.Name == "readonly" && r.IsSystem);
        Assert.DoesNotContain(roles, r => r.Name == "superadmin");
    }

    [Fact]
    public async Task A_role_a_tenant_admin_creates_and_assigns_shows_in_the_users_next_token()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var member = await CreateReadonlyMemberAsync(admin);

        using var created = await admin.Client.PostAsJsonAsync("/api/v1/auth/roles", Sales);
        var role = await created.ReadAsync<RoleDto>();
        using var assigned = await admin.Client.PostAsJsonAsync($"/api/v1/auth/users/{member.Id}/roles", new AssignRoleRequest("sales"));
        var tokens = await SignInAsync(admin, member);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("sales", role.Name);
        Assert.False(role.IsSystem);
        Assert.Equal("sales", (await assigned.ReadAsync<UserRoleDto>()).Role);
        Assert.Contains("crm.leads.write", PermissionsIn(tokens));
        Assert.Contains("crm.customers.read", PermissionsIn(tokens));
        Assert.Contains(new JsonWebToken(tokens.AccessToken).Claims, c => c.Type == CodexClaims.Role && c.Value == "sales");
        var assignedEvent = await auth.LastEventAsync("auth.role.assigned");
        Assert.Equal(member.Id, assignedEvent!.Value.GetProperty("userId").GetGuid());
        Assert.Equal("sales", assignedEvent!.Value.GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_grant_that_expires_stops_counting_at_the_next_refresh_without_a_restart()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var member = await CreateReadonlyMemberAsync(admin);
        await CreateRoleAsync(admin, Sales);
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(3);
        await AssignAsync(admin, member, new AssignRoleRequest("sales", expiresAt));

        var first = await SignInAsync(admin, member);
        await WaitUntilAsync(expiresAt.AddSeconds(1));
        var refreshed = await (await auth.Client.PostAsJsonAsync("/api/v1/auth/refresh", new RefreshRequest(first.RefreshToken))).ReadAsync<TokenResponse>();
        using var client = auth.ClientWith(refreshed.AccessToken);
        var me = await (await client.GetAsync("/api/v1/auth/me")).ReadAsync<MeResponse>();

        Assert.Contains("crm.leads.write", PermissionsIn(first));
        Assert.DoesNotContain("crm.leads.write", PermissionsIn(refreshed));
        Assert.DoesNotContain("crm.leads.write", me.Permissions);
        Assert.DoesNotContain("sales", me.Roles);
    }

    [Fact]
    public async Task Bad_permissions_system_roles_and_superadmin_grants_are_refused()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var member = await CreateReadonlyMemberAsync(admin);
        var roles = await (await admin.Client.GetAsync("/api/v1/auth/roles")).ReadAsync<List<RoleDto>>();
        var adminRole = Assert.Single(roles, r => r.Name == "admin");

        using var badPermission = await admin.Client.PostAsJsonAsync("/api/v1/auth/roles", new RoleRequest("bad-perms", ["CRM Leads!"]));
        using var changeSystemRole = await admin.Client.PutAsJsonAsync($"/api/v1/auth/roles/{adminRole.Id}", new RoleRequest("admin-lite", ["crm.leads.read"]));
        using var grantSuperadmin = await admin.Client.PostAsJsonAsync($"/api/v1/auth/users/{member.Id}/roles", new AssignRoleRequest("superadmin"));

        await badPermission.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await changeSystemRole.AssertProblemAsync(HttpStatusCode.Forbidden, "system_role");
        await grantSuperadmin.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(0, await auth.ScalarAsync<long>("SELECT count(*) FROM roles WHERE name IN ('bad-perms', 'admin-lite')"));
        Assert.Equal(0, await auth.ScalarAsync<long>($"SELECT count(*) FROM user_roles WHERE user_id = '{member.Id}'"));
        var after = await (await admin.Client.GetAsync("/api/v1/auth/roles")).ReadAsync<List<RoleDto>>();
        Assert.Contains("auth.*", Assert.Single(after, r => r.Name == "admin").Permissions);
    }

    [Fact]
    public async Task An_unassigned_role_is_gone_from_the_users_next_token()
    {
        var admin = await auth.CreateTenantWithAdminAsync();
        var member = await CreateReadonlyMemberAsync(admin);
        await CreateRoleAsync(admin, Sales);
        await AssignAsync(admin, member, new AssignRoleRequest("sales"));
        var whileGranted = await SignInAsync(admin, member);

        using var unassign = await admin.Client.DeleteAsync($"/api/v1/auth/users/{member.Id}/roles/sales");
        var afterwards = await SignInAsync(admin, member);

        Assert.Equal(HttpStatusCode.NoContent, unassign.StatusCode);
        Assert.Contains("crm.leads.write", PermissionsIn(whileGranted));
        Assert.DoesNotContain("crm.leads.write", PermissionsIn(afterwards));
        var grants = await (await admin.Client.GetAsync($"/api/v1/auth/users/{member.Id}/roles")).ReadAsync<List<UserRoleDto>>();
        Assert.DoesNotContain(grants, g => g.Role == "sales");
        var unassigned = await auth.LastEventAsync("auth.role.unassigned");
        Assert.Equal(member.Id, unassigned!.Value.GetProperty("userId").GetGuid());
    }

    [Fact]
    public async Task Tenant_roles_belong_to_one_tenant()
    {
        var tenantA = await auth.CreateTenantWithAdminAsync();
        var tenantB = await auth.CreateTenantWithAdminAsync();
        var salesOfA = await CreateRoleAsync(tenantA, Sales);

        var seenByB = await (await tenantB.Client.GetAsync("/api/v1/auth/roles")).ReadAsync<List<RoleDto>>();
        using var changedByB = await tenantB.Client.PutAsJsonAsync($"/api/v1/auth/roles/{salesOfA.Id}", new RoleRequest("sales", ["crm.*"]));
        using var ownSalesOfB = await tenantB.Client.PostAsJsonAsync("/api/v1/auth/roles", Sales);

        Assert.DoesNotContain(seenByB, r => r.Name == "sales");
        await changedByB.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Created, ownSalesOfB.StatusCode);
        var seenByA = await (await tenantA.Client.GetAsync("/api/v1/auth/roles")).ReadAsync<List<RoleDto>>();
        var stillA = Assert.Single(seenByA, r => r.Name == "sales");
        Assert.Equal(salesOfA.Id, stillA.Id);
        Assert.DoesNotContain("crm.*", stillA.Permissions);
    }

    [Fact]
    public async Task Someone_who_manages_roles_cannot_grant_permissions_they_do_not_hold()
    {
        // A manager of roles and users who may otherwise only read (base role readonly: *.*.read).
        var admin = await auth.CreateTenantWithAdminAsync();
        await CreateRoleAsync(admin, new RoleRequest("role-manager", ["auth.roles.*", "auth.users.*"]));
        var email = $"manager@{admin.Tenant}.test";
        using (var created = await admin.Client.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest(email, AuthService.TenantPassword, ["readonly", "role-manager"])))
        {
            await created.ReadAsync<UserDto>();
        }
        var managerId = (await auth.ScalarAsync<Guid>($"SELECT id FROM users WHERE email = '{email}'"));
        using var manager = auth.ClientWith((await auth.LoginAsync(email, AuthService.TenantPassword, admin.Tenant)).AccessToken);
        var before = await CountsAsync(admin.Tenant);

        using var crmRole = await manager.PostAsJsonAsync("/api/v1/auth/roles", new RoleRequest("crm-writer", ["crm.leads.write"]));
        using var wildcard = await manager.PostAsJsonAsync("/api/v1/auth/roles", new RoleRequest("everything", ["*"]));
        using var selfAdmin = await manager.PostAsJsonAsync($"/api/v1/auth/users/{managerId}/roles", new AssignRoleRequest("admin"));
        using var selfUser = await manager.PostAsJsonAsync($"/api/v1/auth/users/{managerId}/roles", new AssignRoleRequest("user"));
        using var newUser = await manager.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest($"sock@{admin.Tenant}.test", AuthService.TenantPassword, ["user"]));
        var afterRefusals = await CountsAsync(admin.Tenant);
        using var held = await manager.PostAsJsonAsync("/api/v1/auth/roles", new RoleRequest("role-reader", ["auth.roles.read"]));

        foreach (var refused in new[] { crmRole, wildcard, selfAdmin, selfUser, newUser })
        {
            await refused.AssertProblemAsync(HttpStatusCode.Forbidden, "permission_not_held");
        }
        Assert.Equal(before, afterRefusals);
        Assert.Equal(HttpStatusCode.Created, held.StatusCode);
    }

    private Task<string> CountsAsync(string tenant) => auth.ScalarAsync<string>(
        $"SELECT (SELECT count(*) FROM roles WHERE tenant_id = '{tenant}') || '/' || (SELECT count(*) FROM user_roles WHERE tenant_id = '{tenant}') || '/' || (SELECT count(*) FROM users WHERE tenant_id = '{tenant}')");

    private Task<UserDto> CreateReadonlyMemberAsync(TenantAdmin admin) =>
        auth.CreateUserAsync(admin.Tenant, $"rep@{admin.Tenant}.test", AuthService.TenantPassword, ["readonly"]);

    private Task<TokenResponse> SignInAsync(TenantAdmin admin, UserDto member) =>
        auth.LoginAsync(member.Email, AuthService.TenantPassword, admin.Tenant);

    private static async Task<RoleDto> CreateRoleAsync(TenantAdmin admin, RoleRequest request)
    {
        using var response = await admin.Client.PostAsJsonAsync("/api/v1/auth/roles", request);
        return await response.ReadAsync<RoleDto>();
    }

    private static async Task AssignAsync(TenantAdmin admin, UserDto member, AssignRoleRequest request)
    {
        using var response = await admin.Client.PostAsJsonAsync($"/api/v1/auth/users/{member.Id}/roles", request);
        await response.ReadAsync<UserRoleDto>();
    }

    private static List<string> PermissionsIn(TokenResponse tokens) =>
        new JsonWebToken(tokens.AccessToken).Claims.Where(c => c.Type == CodexClaims.Permission).Select(c => c.Value).ToList();

    private static async Task WaitUntilAsync(DateTimeOffset moment)
    {
        var wait = moment - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }
}
