using System.Text.Json;
using Codex.AppHost.Dashboard;
using Svc = Codex.ResourceNames.Services;

namespace Codex.AppHost.Tests;

/// <summary>The whole stack, started by the AppHost in process mode with its dashboard, once for these tests.</summary>
public sealed class RunningStack : StackFixture
{
    protected override Task<CodexStack> StartAsync() => CodexStack.StartAsync(dashboard: true);
}

public sealed class StackTests(RunningStack running) : IClassFixture<RunningStack>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_resource_turns_healthy_and_the_gateway_serves_its_API_reference()
    {
        await running.Stack.WaitUntilReadyAsync(Ct);

        using var health = await running.Api.Gateway.GetAsync("/health", Ct);
        using var reference = await running.Api.Gateway.GetAsync("/scalar", Ct);
        using var document = await running.Api.Gateway.GetAsync("/openapi/v1.json", Ct);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Contains("text/html", reference.Content.Headers.ContentType?.MediaType);
        var paths = JsonDocument.Parse(await document.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/auth/login", out _), "the merged document must hold Auth's routes");
        Assert.True(paths.TryGetProperty("/api/v1/crm/customers", out _), "the merged document must hold CRM's routes");
    }

    [Fact]
    public async Task A_tenant_created_through_the_gateway_signs_its_admin_in_and_its_user_reaches_Platform_s_summary()
    {
        var api = running.Api;
        var root = await api.SuperadminTokenAsync(Ct);

        var tenant = await api.CreateTenantAsync(root, Ct);
        var admin = await api.SignInAsync(tenant.ApiKey, tenant.AdminEmail, tenant.AdminPassword, Ct);
        var me = await api.GetJsonAsync("/api/v1/auth/me", admin, Ct);

        Assert.Equal(tenant.Id, me.GetProperty("tenantId").GetString());
        // auth.user.registered travels Auth's outbox → RabbitMQ → Platform's inbox → the tenant's summary.
        await CodexApi.EventuallyAsync(async () =>
        {
            var summary = await api.GetJsonAsync($"/api/v1/platform/tenants/{tenant.Id}/summary", root, Ct);
            return summary.TryGetProperty("auth", out var auth) && auth.TryGetProperty("users", out var users) && users.GetInt32() >= 1;
        }, TimeSpan.FromSeconds(30), "the admin's auth.user.registered in Platform's summary", Ct);
    }

    [Fact]
    public async Task Dashboard_commands_reconcile_every_tenant_run_migrations_and_replay_dead_letters()
    {
        var commands = running.Stack.App.ResourceCommands;

        var reconcile = await commands.ExecuteCommandAsync(Svc.Platform, DashboardCommands.ReconcileAllTenants, Ct);
        var migrate = await commands.ExecuteCommandAsync(Svc.Crm, DashboardCommands.RunMigrations, Ct);
        var replay = await commands.ExecuteCommandAsync(Svc.Auth, DashboardCommands.ReplayDeadLetters, Ct);

        Assert.True(reconcile.Success, reconcile.Message);
        Assert.True(migrate.Success, migrate.Message);
        Assert.True(replay.Success, replay.Message);
        Assert.Contains("\"replayed\":0", replay.Data?.Value ?? "", StringComparison.OrdinalIgnoreCase);
        // The service stayed up through its migrator's second run.
        await running.Stack.App.ResourceNotifications.WaitForResourceHealthyAsync(Svc.Crm, Ct);
    }
}
