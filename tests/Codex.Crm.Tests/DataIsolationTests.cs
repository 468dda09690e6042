using Codex.Crm.Infrastructure;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Codex.Crm.Tests;

/// <summary>
/// The walls below the API: CRM signs in as a role of its own that cannot change the schema or reach another
/// service's database, and PostgreSQL's row-level security shows that role only the scope's tenant's rows,
/// whatever the query forgets.
/// </summary>
public sealed class DataIsolationTests(CrmStack stack) : IClassFixture<CrmStack>
{
    [Fact]
    public async Task A_query_without_the_tenant_filter_still_sees_only_its_tenant()
    {
        var ours = await stack.CreateCrmTenantAsync();
        var theirs = await stack.CreateCrmTenantAsync();
        await ours.Admin.CreateCustomerAsync(new { name = "Ours" });
        await theirs.Admin.CreateCustomerAsync(new { name = "Theirs one" });
        await theirs.Admin.CreateCustomerAsync(new { name = "Theirs two" });

        await using var scope = stack.Crm.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(ours.Id);
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var unfiltered = await db.Customers.IgnoreQueryFilters().Select(c => c.TenantId).Distinct().ToListAsync(TestContext.Current.CancellationToken);
        var rawCount = await db.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM customers").SingleAsync(TestContext.Current.CancellationToken);
        var stages = await db.Database.SqlQueryRaw<long>(
            "SELECT count(DISTINCT p.tenant_id) AS \"Value\" FROM pipeline_stages s JOIN pipelines p ON p.id = s.pipeline_id").SingleAsync(TestContext.Current.CancellationToken);

        Assert.Equal([ours.Id], unfiltered);
        Assert.Equal(1, rawCount);
        Assert.Equal(1, stages);
        // The admin's view: both tenants' rows are there.
        Assert.Equal(2, await stack.CountAsync("customers", theirs.Id));
    }

    [Fact]
    public async Task A_synchronous_SaveChanges_runs_under_its_scope_s_tenant_too()
    {
        var ours = await stack.CreateCrmTenantAsync();
        await ours.Admin.CreateCustomerAsync(new { name = "Before" });

        await using var scope = stack.Crm.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(ours.Id);
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var customer = await db.Customers.SingleAsync(TestContext.Current.CancellationToken);
        customer.Name = "After";
        // Without the tenant set on the connection, the policy hides the row and EF reports 0 rows updated.
        var saved = db.SaveChanges();

        Assert.Equal(1, saved);
        Assert.Equal("After", await stack.CrmScalarAsync<string>("SELECT name FROM customers WHERE id = @id", ("id", customer.Id)));
    }

    [Fact]
    public async Task Without_a_tenant_no_rows_are_seen_and_another_tenant_s_rows_cannot_be_written()
    {
        var ours = await stack.CreateCrmTenantAsync();
        var theirs = await stack.CreateCrmTenantAsync();
        await theirs.Admin.CreateCustomerAsync(new { name = "Theirs" });
        var ct = TestContext.Current.CancellationToken;

        await using (var scope = stack.Crm.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            Assert.Equal(0, await db.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM customers").SingleAsync(ct));
        }
        await using (var scope = stack.Crm.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(ours.Id);
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            var planted = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync(
                "INSERT INTO customers (id, tenant_id, name, search_text, status, tags, created_at, updated_at) VALUES (gen_random_uuid(), {0}, 'Planted', 'planted', 'Active', '{{}}', now(), now())", [theirs.Id], ct));
            var moved = await db.Database.ExecuteSqlRawAsync("UPDATE customers SET name = 'Taken' WHERE tenant_id = {0}", [theirs.Id], ct);

            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, planted.SqlState);
            Assert.Equal(0, moved);
        }
        Assert.Equal(1, await stack.CountAsync("customers", theirs.Id));
        Assert.Equal(0L, await stack.CrmScalarAsync<long>("SELECT count(*) FROM customers WHERE name IN ('Planted', 'Taken')"));
    }

    [Fact]
    public async Task Crm_s_role_is_no_superuser_cannot_change_the_schema_and_cannot_reach_another_service_s_database()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var crm = new NpgsqlConnection(stack.CrmRoles.App);
        await crm.OpenAsync(ct);

        Assert.False(await ScalarAsync<bool>(crm, "SELECT rolsuper OR rolcreatedb OR rolcreaterole OR rolbypassrls FROM pg_roles WHERE rolname = current_user"));
        var create = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<int>(crm, "CREATE TABLE stolen (id int)"));
        var history = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<long>(crm, "SELECT count(*) FROM \"__EFMigrationsHistory\""));
        var drop = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<int>(crm, "DROP TABLE customers"));
        var otherDatabase = new NpgsqlConnectionStringBuilder(stack.CrmRoles.App) { Database = stack.Auth.Database, Pooling = false };
        await using var auth = new NpgsqlConnection(otherDatabase.ConnectionString);
        var reach = await Assert.ThrowsAsync<PostgresException>(() => auth.OpenAsync(ct));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, create.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, history.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, drop.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, reach.SqlState);
    }

    [Fact]
    public async Task The_migrate_step_runs_again_unchanged_and_hands_what_the_admin_made_to_the_owner()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var admin = new NpgsqlConnection(stack.CrmRoles.Admin))
        {
            await admin.OpenAsync(ct);
            await ScalarAsync<int>(admin, "CREATE TABLE IF NOT EXISTS made_by_admin (id int)");
        }

        await DatabaseRoles.ProvisionAsync(TestInfrastructure.ConnectionString(ResourceNames.Postgres), stack.CrmRoles.Owner, stack.CrmRoles.App, ct);
        await DatabaseRoles.GrantAsync(stack.CrmRoles.Owner, stack.CrmRoles.App, ct);

        Assert.Equal($"{stack.CrmDatabase}_owner", await stack.CrmScalarAsync<string>("SELECT tableowner::text FROM pg_tables WHERE tablename = 'made_by_admin'"));
        Assert.Equal($"{stack.CrmDatabase}_owner", await stack.CrmScalarAsync<string>("SELECT tableowner::text FROM pg_tables WHERE tablename = 'customers'"));
        await using var crm = new NpgsqlConnection(stack.CrmRoles.App);
        await crm.OpenAsync(ct);
        Assert.Equal(0L, await ScalarAsync<long>(crm, "SELECT count(*) FROM made_by_admin"));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        return value is null or DBNull ? default! : (T)value;
    }
}
