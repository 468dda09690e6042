using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Codex.Auth.Contracts;
using Codex.Platform.Contracts;
using Codex.Testing;
using Codex.Testing.Auth;

namespace Codex.Platform.Tests;

/// <summary>Tenant lifecycle and provisioning through the gateway, as a superadmin; tenant admins refused.</summary>
public sealed class TenantTests(PlatformStack stack) : IClassFixture<PlatformStack>
{
    [Fact]
    public async Task Creating_a_tenant_provisions_its_admin_in_Auth_and_answers_a_working_key_once()
    {
        var tenant = await stack.CreateTenantAsync();

        using var me = await tenant.Admin.GetAsync("/api/v1/auth/me");
        var profile = await me.ReadAsync<JsonElement>();
        Assert.Equal(tenant.Id, profile.GetProperty("tenantId").GetString());
        Assert.Contains("admin", profile.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        using var root = await stack.SuperadminAsync();
        var detail = await (await root.GetAsync($"/api/v1/platform/tenants/{tenant.Id}")).ReadAsync<TenantDetail>();
        Assert.Equal("done", Assert.Single(detail.Tenant.Provisioning).Status);
        Assert.Equal(tenant.AdminEmail, Assert.Single(detail.Admins).Email);
        Assert.NotNull(detail.Admins[0].AuthUserId);
        // The key is never answered again by a read.
        Assert.DoesNotContain(tenant.ApiKey, JsonSerializer.Serialize(detail));
    }

    [Fact]
    public async Task Bad_input_is_a_400_with_field_errors_and_writes_nothing_in_Platform_or_Auth()
    {
        using var root = await stack.SuperadminAsync();
        var id = PlatformStack.NewTenantId();

        using var badId = await root.PostAsJsonAsync("/api/v1/platform/tenants", new CreateTenantRequest("Not A Slug!", "x", "a@b.test"));
        using var badEmail = await root.PostAsJsonAsync("/api/v1/platform/tenants", new CreateTenantRequest(id, "x", "not-an-email"));
        using var weakPassword = await root.PostAsJsonAsync("/api/v1/platform/tenants", new CreateTenantRequest(id, "x", $"a@{id}.test", "short"));

        Assert.Contains("id", FieldsOf(await badId.AssertProblemAsync(HttpStatusCode.BadRequest)));
        Assert.Contains("adminEmail", FieldsOf(await badEmail.AssertProblemAsync(HttpStatusCode.BadRequest)));
        Assert.Contains("adminPassword", FieldsOf(await weakPassword.AssertProblemAsync(HttpStatusCode.BadRequest)));
        Assert.Equal(0L, await stack.ScalarAsync<long>("SELECT count(*) FROM tenants WHERE id = @id", ("id", id)));
        Assert.Equal(0L, await stack.Auth.ScalarAsync<long>($"SELECT count(*) FROM tenants WHERE id = '{id}'"));
        Assert.Equal(0L, await stack.Auth.ScalarAsync<long>($"SELECT count(*) FROM users WHERE tenant_id = '{id}'"));
    }

    private static List<string> FieldsOf(JsonElement problem) => problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();

    [Fact]
    public async Task A_second_tenant_with_the_same_id_is_a_409()
    {
        var tenant = await stack.CreateTenantAsync();
        using var root = await stack.SuperadminAsync();

        using var again = await root.PostAsJsonAsync("/api/v1/platform/tenants", new CreateTenantRequest(tenant.Id, "again", $"other@{tenant.Id}.test"));

        await again.AssertProblemAsync(HttpStatusCode.Conflict, "duplicate_tenant");
    }

    [Fact]
    public async Task Suspend_reactivate_and_delete_publish_events_that_reach_Auth_and_the_audit_log()
    {
        var tenant = await stack.CreateTenantAsync();
        using var root = await stack.SuperadminAsync();

        using var suspended = await root.PostAsJsonAsync($"/api/v1/platform/tenants/{tenant.Id}/suspend", new SuspendTenantRequest("unpaid invoice"));
        Assert.Equal("suspended", (await suspended.ReadAsync<TenantDto>()).Status);
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            await stack.Auth.ScalarAsync<long>($"SELECT count(*) FROM tenants WHERE id = '{tenant.Id}' AND status = 'Suspended'") == 1, TimeSpan.FromSeconds(10)));
        using var refused = await stack.GatewayClient(tenant.ApiKey).PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(tenant.AdminEmail, AuthService.TenantPassword));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var reactivated = await root.PostAsync($"/api/v1/platform/tenants/{tenant.Id}/reactivate", null);
        Assert.Equal("active", (await reactivated.ReadAsync<TenantDto>()).Status);
        using var deleted = await root.DeleteAsync($"/api/v1/platform/tenants/{tenant.Id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            await stack.AuditCountAsync(tenant.Id, "platform.tenant.deleted") == 1, TimeSpan.FromSeconds(5)));
        var superadminId = await stack.Auth.ScalarAsync<Guid>($"SELECT id FROM users WHERE email = '{AuthService.AdminEmail}'");
        Assert.Equal(superadminId.ToString(), await stack.ScalarAsync<string>(
            "SELECT actor FROM audit_log WHERE tenant_id = @t AND type = 'platform.tenant.suspended'", ("t", tenant.Id)));
        var list = await (await root.GetAsync("/api/v1/platform/tenants?pageSize=100")).ReadAsync<PagedList<TenantWithSummary>>();
        Assert.DoesNotContain(list.Items, t => t.Tenant.Id == tenant.Id);
        using var update = await root.PutAsJsonAsync($"/api/v1/platform/tenants/{tenant.Id}", new UpdateTenantRequest("x", "pro"));
        await update.AssertProblemAsync(HttpStatusCode.Conflict, "tenant_deleted");
    }

    [Fact]
    public async Task Tenant_admins_are_refused_on_every_superadmin_route()
    {
        var tenant = await stack.CreateTenantAsync();
        using var direct = new HttpClient { BaseAddress = stack.Platform.Address };
        direct.DefaultRequestHeaders.Authorization = new("Bearer", tenant.AdminTokens.AccessToken);

        foreach (var path in new[] { "/api/v1/platform/tenants", $"/api/v1/platform/tenants/{tenant.Id}/summary", "/api/v1/platform/audit",
                     "/api/v1/platform/security-events", "/api/v1/platform/services", "/api/v1/platform/config", "/api/v1/platform/clients",
                     "/api/v1/platform/events/per-minute" })
        {
            using var throughGateway = await tenant.Admin.GetAsync(path);
            using var straight = await direct.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, throughGateway.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, straight.StatusCode);
        }
        using var create = await direct.PostAsJsonAsync("/api/v1/platform/tenants", new CreateTenantRequest(PlatformStack.NewTenantId(), "x", "a@b.test"));
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
    }

    [Fact]
    public async Task Clients_own_tenants_and_cannot_be_deleted_while_they_have_some()
    {
        using var root = await stack.SuperadminAsync();
        var client = await (await root.PostAsJsonAsync("/api/v1/platform/clients", new ClientRequest("Acme", "ops@acme.test"))).ReadAsync<ClientDto>();
        var id = PlatformStack.NewTenantId();
        using var created = await root.PostAsJsonAsync("/api/v1/platform/tenants", new CreateTenantRequest(id, "Acme prod", $"a@{id}.test", ClientId: client.Id));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var blocked = await root.DeleteAsync($"/api/v1/platform/clients/{client.Id}");
        using var unknownClient = await root.PostAsJsonAsync("/api/v1/platform/tenants", new CreateTenantRequest(PlatformStack.NewTenantId(), "x", "a@b.test", ClientId: Guid.NewGuid()));

        await blocked.AssertProblemAsync(HttpStatusCode.Conflict, "client_has_tenants");
        await unknownClient.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(1, (await (await root.GetAsync($"/api/v1/platform/clients/{client.Id}")).ReadAsync<ClientDto>()).Tenants);
    }
}
