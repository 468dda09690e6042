using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Codex.Auth.Contracts;
using Codex.Contracts;
using Codex.Messaging;
using Codex.Platform.Contracts;
using Codex.Testing;
using Codex.Testing.Auth;

namespace Codex.Platform.Tests;

/// <summary>The one consumer of every event: summaries, audit log, security events, lineage, reconciliation.</summary>
public sealed class LedgerTests(PlatformStack stack) : IClassFixture<PlatformStack>
{
    [Fact]
    public async Task Users_registered_and_logged_in_through_the_gateway_appear_in_the_summary_and_the_audit_log_within_2_s()
    {
        var tenant = await stack.CreateTenantAsync();
        var adminId = (await (await tenant.Admin.GetAsync("/api/v1/auth/me")).ReadAsync<MeResponse>()).Id;

        using var created = await tenant.Admin.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest($"user@{tenant.Id}.test", AuthService.TenantPassword));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var login = await stack.GatewayClient(tenant.ApiKey).PostAsJsonAsync("/api/v1/auth/login", new LoginRequest($"user@{tenant.Id}.test", AuthService.TenantPassword));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var loggedInAt = DateTimeOffset.UtcNow;

        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
        {
            var auth = (await stack.SummaryAsync(tenant.Id)).GetProperty("auth");
            return auth.GetProperty("users").GetInt32() == 2 && auth.GetProperty("active").GetInt32() == 2
                && auth.GetProperty("lastLogin").ValueKind == JsonValueKind.String
                && (loggedInAt - auth.GetProperty("lastLogin").GetDateTimeOffset()).Duration() < TimeSpan.FromSeconds(5);
        }, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(100)), "the summary did not show 2 users and the login within 2 s");
        using var root = await stack.SuperadminAsync();
        var audit = await (await root.GetAsync($"/api/v1/platform/audit?tenantId={tenant.Id}&type=auth.user.registered")).ReadAsync<PagedList<AuditEntryDto>>();
        Assert.Equal(2, audit.Total);
        var byAdmin = Assert.Single(audit.Items, e => e.Data.GetProperty("email").GetString() == $"user@{tenant.Id}.test");
        Assert.Equal(adminId.ToString(), byAdmin.Actor);
        Assert.Equal(stack.Auth.ServiceName, byAdmin.Source);
        Assert.Matches("^[0-9a-f]{32}$", byAdmin.TraceId!);
        var byActor = await (await root.GetAsync($"/api/v1/platform/audit?actor={adminId}&tenantId={tenant.Id}")).ReadAsync<PagedList<AuditEntryDto>>();
        Assert.All(byActor.Items, e => Assert.Equal(adminId.ToString(), e.Actor));
        Assert.Contains(byActor.Items, e => e.Type == "auth.user.registered");
    }

    [Fact]
    public async Task A_redelivered_event_does_not_count_twice()
    {
        var tenant = (await stack.CreateTenantAsync()).Id;
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            (await stack.SummaryAsync(tenant)).GetProperty("auth").GetProperty("users").GetInt32() == 1, TimeSpan.FromSeconds(5)));
        var registered = EventEnvelope.Create(new UserRegistered(tenant, Guid.NewGuid(), $"x@{tenant}.test", ["user"]), "auth", TimeProvider.System);
        var sentinel = EventEnvelope.Create(new UserRegistered(tenant, Guid.NewGuid(), $"y@{tenant}.test", ["user"]), "auth", TimeProvider.System);

        await PlatformStack.PublishAsync(registered, registered);
        await PlatformStack.PublishAsync(sentinel);

        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            await stack.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE id = @id", ("id", sentinel.Id)) == 1, TimeSpan.FromSeconds(10)));
        Assert.Equal(3, (await stack.SummaryAsync(tenant)).GetProperty("auth").GetProperty("users").GetInt32());
        Assert.Equal(3L, await stack.AuditCountAsync(tenant, "auth.user.registered"));
        Assert.Equal(3L, await stack.ScalarAsync<long>("SELECT count(*) FROM data_lineage WHERE tenant_id = @t AND figure = 'users'", ("t", tenant)));
    }

    [Fact]
    public async Task Drift_written_into_cdxdb_is_repaired_by_reconciliation_and_the_repair_is_in_the_lineage()
    {
        var tenant = await stack.CreateTenantAsync();
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            (await stack.SummaryAsync(tenant.Id)).GetProperty("auth").GetProperty("users").GetInt32() == 1, TimeSpan.FromSeconds(5)));

        await stack.ScalarAsync<int>("UPDATE tenant_summaries SET value = '42' WHERE tenant_id = @t AND service = 'auth' AND figure = 'users' RETURNING 1", ("t", tenant.Id));
        Assert.Equal(42, (await stack.SummaryAsync(tenant.Id)).GetProperty("auth").GetProperty("users").GetInt32());
        using var root = await stack.SuperadminAsync();
        using var run = await root.PostAsync($"/api/v1/platform/tenants/{tenant.Id}/reconcile", null);
        var report = await run.ReadAsync<ReconciliationReport>();

        var repair = Assert.Single(report.Repairs, r => r.Figure == "users");
        Assert.Equal(42, repair.Was!.Value.GetInt32());
        Assert.Equal(1, repair.Now.GetInt32());
        // No CRM, CMS or Billing runs in this stack: they are reported, and Auth's figures are reconciled all the same.
        Assert.Equal([ResourceNames.Services.Crm, ResourceNames.Services.Cms, ResourceNames.Services.Billing], report.Unreachable);
        var summary = await stack.SummaryAsync(tenant.Id, lineage: true);
        var users = summary.GetProperty("auth").GetProperty("users");
        Assert.Equal(1, users.GetProperty("value").GetInt32());
        Assert.Equal("reconciliation", users.GetProperty("lineage").GetProperty("kind").GetString());
        var active = summary.GetProperty("auth").GetProperty("active");
        Assert.Equal("event", active.GetProperty("lineage").GetProperty("kind").GetString());
        Assert.Equal("auth.user.registered", active.GetProperty("lineage").GetProperty("eventType").GetString());
        // A second run finds nothing left to repair.
        using var again = await root.PostAsync($"/api/v1/platform/tenants/{tenant.Id}/reconcile", null);
        Assert.Empty((await again.ReadAsync<ReconciliationReport>()).Repairs);
    }

    [Fact]
    public async Task Failed_logins_become_security_events_and_count_in_the_summary_without_secrets_in_the_audit_log()
    {
        var tenant = await stack.CreateTenantAsync();
        using var anonymous = stack.GatewayClient(tenant.ApiKey);

        using var failed = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new LoginRequest(tenant.AdminEmail, "wrong-password-123"));
        using var forgot = await anonymous.PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = tenant.AdminEmail });

        Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            (await stack.SummaryAsync(tenant.Id)).GetProperty("auth").GetProperty("failedLogins24h").GetInt32() == 1, TimeSpan.FromSeconds(5)));
        using var root = await stack.SuperadminAsync();
        var security = await (await root.GetAsync($"/api/v1/platform/security-events?tenantId={tenant.Id}")).ReadAsync<PagedList<SecurityEventDto>>();
        var entry = Assert.Single(security.Items);
        Assert.Equal("auth.user.login_failed", entry.Type);
        Assert.Equal(tenant.AdminEmail, entry.Email);
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            await stack.AuditCountAsync(tenant.Id, "auth.password_reset.requested") == 1, TimeSpan.FromSeconds(5)));
        var reset = await stack.ScalarAsync<string>("SELECT data::text FROM audit_log WHERE tenant_id = @t AND type = 'auth.password_reset.requested'", ("t", tenant.Id));
        Assert.Contains("[redacted]", reset);
        var token = (await stack.Auth.LastEventAsync("auth.password_reset.requested"))!.Value.GetProperty("resetToken").GetString()!;
        Assert.DoesNotContain(token, reset);
    }

    [Fact]
    public async Task Permission_denials_in_Auth_and_Platform_become_security_events()
    {
        var tenant = await stack.CreateTenantAsync();
        using var created = await tenant.Admin.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest($"plain@{tenant.Id}.test", AuthService.TenantPassword, ["user"]));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var signIn = await stack.GatewayClient(tenant.ApiKey).PostAsJsonAsync("/api/v1/auth/login", new LoginRequest($"plain@{tenant.Id}.test", AuthService.TenantPassword));
        using var plainUser = stack.GatewayClient(tenant.ApiKey, (await signIn.ReadAsync<TokenResponse>()).AccessToken);
        using var direct = new HttpClient { BaseAddress = stack.Platform.Address };
        direct.DefaultRequestHeaders.Authorization = new("Bearer", tenant.AdminTokens.AccessToken);

        using var refusedInAuth = await plainUser.PostAsJsonAsync("/api/v1/auth/users", new CreateUserRequest($"other@{tenant.Id}.test"));
        using var refusedInPlatform = await direct.GetAsync("/api/v1/platform/tenants");

        Assert.Equal(HttpStatusCode.Forbidden, refusedInAuth.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refusedInPlatform.StatusCode);
        using var root = await stack.SuperadminAsync();
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
        {
            var denials = await (await root.GetAsync($"/api/v1/platform/security-events?tenantId={tenant.Id}&type=auth.permission.denied")).ReadAsync<PagedList<SecurityEventDto>>();
            return denials.Items.Any(d => d.Data.GetProperty("permission").GetString() == "auth.users.write" && d.Data.GetProperty("resource").GetString() == "POST /api/v1/auth/users")
                && denials.Items.Any(d => d.Data.GetProperty("permission").GetString() == "role:superadmin");
        }, TimeSpan.FromSeconds(5)), "the denials did not reach the security events");
        Assert.Equal(0L, await stack.Auth.ScalarAsync<long>($"SELECT count(*) FROM users WHERE email = 'other@{tenant.Id}.test'"));
    }

    [Fact]
    public async Task Audit_search_is_paged_filtered_and_refuses_bad_ranges()
    {
        var tenant = await stack.CreateTenantAsync();
        using var root = await stack.SuperadminAsync();
        Assert.True(await TestInfrastructure.EventuallyAsync(async () => await stack.AuditCountAsync(tenant.Id, "platform.tenant.created") == 1, TimeSpan.FromSeconds(5)));

        var page = await (await root.GetAsync($"/api/v1/platform/audit?tenantId={tenant.Id}&pageSize=1")).ReadAsync<PagedList<AuditEntryDto>>();
        var future = await (await root.GetAsync($"/api/v1/platform/audit?tenantId={tenant.Id}&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}")).ReadAsync<PagedList<AuditEntryDto>>();
        using var badRange = await root.GetAsync($"/api/v1/platform/audit?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z");
        using var badSize = await root.GetAsync("/api/v1/platform/audit?pageSize=1000");

        Assert.Single(page.Items);
        Assert.True(page.Total >= 2, "tenant created and the admin registered");
        Assert.Empty(future.Items);
        await badRange.AssertProblemAsync(HttpStatusCode.BadRequest);
        await badSize.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Config_changes_are_stored_and_audited_with_their_actor()
    {
        using var root = await stack.SuperadminAsync();
        var key = $"test.{Guid.NewGuid():N}";

        using var set = await root.PutAsJsonAsync($"/api/v1/platform/config/{key}", new { value = new { enabled = true, limit = 5 }, description = "a test" });
        using var badKey = await root.PutAsJsonAsync("/api/v1/platform/config/Bad Key!", new { value = 1 });
        using var deleted = await root.DeleteAsync($"/api/v1/platform/config/{key}");

        Assert.Equal(5, (await set.ReadAsync<ConfigEntryDto>()).Value.GetProperty("limit").GetInt32());
        await badKey.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
            await stack.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE type = 'platform.config.changed' AND data->>'key' = @k AND actor IS NOT NULL", ("k", key)) == 2,
            TimeSpan.FromSeconds(5)));
        using var gone = await root.GetAsync($"/api/v1/platform/config/{key}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task The_service_overview_shows_health_version_availability_and_sync_lag()
    {
        await stack.CreateTenantAsync();
        using var root = await stack.SuperadminAsync();

        Assert.True(await TestInfrastructure.EventuallyAsync(async () =>
        {
            var services = await (await root.GetAsync("/api/v1/platform/services")).ReadAsync<List<ServiceOverview>>();
            return services.Any(s => s.Name == "auth" && s.Status == "Healthy" && s.Version is { Length: > 0 } && s.Availability24h > 0)
                && services.Any(s => s.Name == stack.Auth.ServiceName && s.SyncLag5m is { Events: > 0 });
        }, TimeSpan.FromSeconds(10)));
        var history = await (await root.GetAsync("/api/v1/platform/services/auth/health?hours=1")).ReadAsync<List<HealthCheckDto>>();
        Assert.NotEmpty(history);
        using var unknown = await root.GetAsync("/api/v1/platform/services/nope/health");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
