using Codex.Auth.Infrastructure;
using Codex.Testing.Auth;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Codex.Auth.Tests;

/// <summary>
/// Row-level security behind Auth's query filters: a query that lifts the filter still sees its own tenant
/// unless it is a declared cross-tenant lookup, system roles are everyone's to read and no tenant's to write.
/// </summary>
public sealed class DataIsolationTests(AuthService auth) : IClassFixture<AuthService>
{
    [Fact]
    public async Task Lifting_the_filter_still_shows_one_tenant_and_only_a_declared_lookup_crosses_tenants()
    {
        var ours = await auth.CreateTenantWithAdminAsync();
        var theirs = await auth.CreateTenantWithAdminAsync();
        var ct = TestContext.Current.CancellationToken;

        await using var scope = auth.App.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(ours.Tenant);
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var seen = await db.Users.IgnoreQueryFilters().Select(u => u.TenantId).Distinct().ToListAsync(ct);
        var keysSeen = await db.Database.SqlQueryRaw<long>("SELECT count(DISTINCT tenant_id) AS \"Value\" FROM api_keys").SingleAsync(ct);
        List<string> across;
        using (db.AcrossTenants())
        {
            across = await db.Users.IgnoreQueryFilters().Select(u => u.TenantId).Distinct().ToListAsync(ct);
        }
        var after = await db.Users.IgnoreQueryFilters().Select(u => u.TenantId).Distinct().ToListAsync(ct);

        Assert.Equal([ours.Tenant], seen);
        Assert.True(keysSeen <= 1);
        Assert.Contains(ours.Tenant, across);
        Assert.Contains(theirs.Tenant, across);
        Assert.Equal([ours.Tenant], after);
    }

    [Fact]
    public async Task A_tenant_named_star_is_no_tenant_and_system_roles_are_read_by_all_and_written_by_none()
    {
        var ours = await auth.CreateTenantWithAdminAsync();
        var ct = TestContext.Current.CancellationToken;

        await using (var scope = auth.App.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(TenantRowSecurity.AcrossTenants);
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            Assert.Equal(0, await db.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM users").SingleAsync(ct));
        }
        await using (var scope = auth.App.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(ours.Tenant);
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            var systemRoles = await db.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM roles WHERE tenant_id IS NULL").SingleAsync(ct);
            var taken = await db.Database.ExecuteSqlRawAsync("UPDATE roles SET tenant_id = {0} WHERE tenant_id IS NULL", [ours.Tenant], ct);
            var removed = await db.Database.ExecuteSqlRawAsync("DELETE FROM roles WHERE tenant_id IS NULL", ct);
            var planted = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync(
                "INSERT INTO roles (id, name, permissions, created_at, updated_at) SELECT gen_random_uuid(), 'planted', permissions, now(), now() FROM roles WHERE name = 'admin' AND tenant_id IS NULL", ct));

            Assert.True(systemRoles > 0);
            Assert.Equal(0, taken);
            Assert.Equal(0, removed);
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, planted.SqlState);
        }
        Assert.Equal(0L, await auth.ScalarAsync<long>($"SELECT count(*) FROM roles WHERE tenant_id = '{ours.Tenant}' AND name IN ('admin', 'user', 'readonly')"));
        Assert.Equal(0L, await auth.ScalarAsync<long>("SELECT count(*) FROM roles WHERE name = 'planted'"));
    }
}
