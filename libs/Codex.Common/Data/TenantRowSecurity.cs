using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace Codex;

/// <summary>A context whose tenant tables PostgreSQL guards with row-level security, acting for <see cref="RowSecurityTenant"/>.</summary>
public interface ITenantRowSecurity
{
    /// <summary>
    /// The tenant whose rows the database shows and takes; none: no tenant's rows at all;
    /// <see cref="TenantRowSecurity.AcrossTenants"/>: every tenant's, where the table's policy allows it.
    /// </summary>
    string? RowSecurityTenant { get; }
}

/// <summary>
/// A context's declared cross-tenant lookups: inside <see cref="Open"/> its commands act across tenants (on tables
/// whose policy allows it), and outside for the scope's tenant only. A tenant named <c>*</c> is no tenant at all.
/// </summary>
public sealed class RowSecurityScope
{
    // A DbContext serves one operation at a time, so a plain count will do.
    private int _open;

    /// <summary>Until disposed, the context's commands reach every tenant's rows: for a lookup by a secret that names its tenant.</summary>
    public IDisposable Open()
    {
        _open++;
        return new Closer(this);
    }

    public string? TenantFor(string? scopeTenant) =>
        _open > 0 ? TenantRowSecurity.AcrossTenants
        : scopeTenant == TenantRowSecurity.AcrossTenants ? null
        : scopeTenant;

    private sealed class Closer(RowSecurityScope scope) : IDisposable
    {
        private bool _closed;

        public void Dispose()
        {
            if (!_closed)
            {
                _closed = true;
                scope._open--;
            }
        }
    }
}

/// <summary>
/// Row-level security, the second wall behind each context's tenant query filter: a tenant table answers and
/// takes only the rows whose <c>tenant_id</c> is the session's <c>codex.tenant_id</c>, so a query that forgot
/// its filter (raw SQL, <c>IgnoreQueryFilters</c>) still sees one tenant. The service's role is bound by the
/// policies; the owner (migrations) and the admin are not.
/// </summary>
/// <remarks>
/// Every command a context sends sets <c>codex.tenant_id</c> first, so a pooled connection never carries the last
/// request's tenant into this one, and no command runs without it: a query in the same round trip (a <c>SET</c>
/// ahead of the statement), <c>SaveChanges</c> by one <c>SET</c> before its batch (EF reads a batch's row counts
/// by statement, which a statement ahead would shift). <c>SET</c> takes no parameter: the tenant is quoted as a literal.
/// </remarks>
public static class TenantRowSecurity
{
    public const string Setting = "codex.tenant_id";

    public const string Policy = "tenant_isolation";

    public const string SharedRowsPolicy = "shared_rows_read";

    /// <summary>The session value of a declared cross-tenant lookup (<see cref="RowSecurityScope"/>); no tenant id can be it.</summary>
    public const string AcrossTenants = "*";

    internal static readonly IInterceptor[] Interceptors = [new SetTenantFirst(), new SetTenantBeforeSave()];

    /// <summary>The statement that sets the session's tenant (empty: none), safe for any tenant text.</summary>
    public static string SetTenant(string? tenantId) =>
        $"SET {Setting} = '{(tenantId ?? "").Replace("\0", "", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)}';\n";

    /// <summary>
    /// Turns the wall on for a table with a <c>tenant_id</c> column. <paramref name="lookupsAcrossTenants"/>: a declared
    /// cross-tenant lookup (<see cref="RowSecurityScope"/>) reaches every row; <paramref name="sharedRows"/>: rows
    /// without a tenant (system rows) are visible to every tenant, and written by the owner only.
    /// </summary>
    public static void EnableTenantRowSecurity(this MigrationBuilder migration, string table, bool lookupsAcrossTenants = false, bool sharedRows = false)
    {
        var tenant = $"current_setting('{Setting}', true)";
        var own = lookupsAcrossTenants ? $"(tenant_id = {tenant} OR {tenant} = '{AcrossTenants}')" : $"tenant_id = {tenant}";
        migration.Sql($"""
            ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
            CREATE POLICY {Policy} ON {table} USING ({own}) WITH CHECK ({own});
            """);
        if (sharedRows)
        {
            // Read only: an update or delete must pass the policy above, which a shared row never does.
            migration.Sql($"CREATE POLICY {SharedRowsPolicy} ON {table} FOR SELECT USING (tenant_id IS NULL);");
        }
    }

    /// <summary>Turns the wall on for a child table without a tenant of its own: its rows are visible through their parent's.</summary>
    public static void EnableTenantRowSecurity(this MigrationBuilder migration, string table, string parentTable, string parentKey) => migration.Sql($"""
        ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
        CREATE POLICY {Policy} ON {table}
          USING (EXISTS (SELECT 1 FROM {parentTable} p WHERE p.id = {table}.{parentKey}))
          WITH CHECK (EXISTS (SELECT 1 FROM {parentTable} p WHERE p.id = {table}.{parentKey}));
        """);

    /// <summary>Turns the wall off again (a migration's Down).</summary>
    public static void DisableTenantRowSecurity(this MigrationBuilder migration, string table) => migration.Sql($"""
        DROP POLICY {Policy} ON {table};
        DROP POLICY IF EXISTS {SharedRowsPolicy} ON {table};
        ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;
        """);

    /// <summary>Every command but SaveChanges' batch (set apart, before it) starts by setting the tenant.</summary>
    private sealed class SetTenantFirst : DbCommandInterceptor
    {
        public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
        {
            if (eventData.Context is ITenantRowSecurity scoped && eventData.CommandSource != CommandSource.SaveChanges)
            {
                result.CommandText = SetTenant(scoped.RowSecurityTenant) + result.CommandText;
            }
            return result;
        }
    }

    /// <summary>SaveChanges: the connection is opened (EF's own count) and the tenant set on it before the batch; closed after.</summary>
    private sealed class SetTenantBeforeSave : SaveChangesInterceptor
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> Open = [];

        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            if (Scoped(eventData.Context) is { } context)
            {
                context.Database.OpenConnection();
                Open.AddOrUpdate(context, context);
                try
                {
                    using var command = SetTenantCommand(context);
                    command.ExecuteNonQuery();
                }
                catch
                {
                    Close(context);
                    throw;
                }
            }
            return result;
        }

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            if (Scoped(eventData.Context) is { } context)
            {
                await context.Database.OpenConnectionAsync(cancellationToken);
                Open.AddOrUpdate(context, context);
                try
                {
                    await using var command = SetTenantCommand(context);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
                catch
                {
                    await CloseAsync(context);
                    throw;
                }
            }
            return result;
        }

        // A context under row-level security whose connection this interceptor has not opened yet.
        private static DbContext? Scoped(DbContext? context) =>
            context is ITenantRowSecurity && !Open.TryGetValue(context, out _) ? context : null;

        private static DbCommand SetTenantCommand(DbContext context)
        {
            var command = context.Database.GetDbConnection().CreateCommand();
            command.Transaction = context.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = SetTenant(((ITenantRowSecurity)context).RowSecurityTenant);
            return command;
        }

        public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
        {
            Close(eventData.Context);
            return result;
        }

        public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            await CloseAsync(eventData.Context);
            return result;
        }

        public override void SaveChangesFailed(DbContextErrorEventData eventData) => Close(eventData.Context);

        public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default) => CloseAsync(eventData.Context);

        public override void SaveChangesCanceled(DbContextEventData eventData) => Close(eventData.Context);

        public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default) => CloseAsync(eventData.Context);

        private static void Close(DbContext? context)
        {
            if (context is not null && Open.Remove(context))
            {
                context.Database.CloseConnection();
            }
        }

        private static async Task CloseAsync(DbContext? context)
        {
            if (context is not null && Open.Remove(context))
            {
                await context.Database.CloseConnectionAsync();
            }
        }
    }
}
