using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Codex;

/// <summary>
/// A service's <c>migrate</c> step. It signs in as the database's owner role (<c>ConnectionStrings:&lt;db&gt;</c>);
/// given the server's admin connection (<c>ConnectionStrings:postgres</c>) it first makes the roles and the
/// database (<see cref="DatabaseRoles"/>), and given the app role's (<c>ConnectionStrings:&lt;db&gt;-app</c>) it
/// grants that role its rows once the schema is current.
/// </summary>
public static class DatabaseMigration
{
    /// <summary>Roles, then <typeparamref name="TContext"/>'s pending migrations in a scope of their own, then the app role's grants.</summary>
    public static async Task MigrateDatabaseAsync<TContext>(this IServiceProvider services, string connectionName, CancellationToken cancellationToken = default)
        where TContext : DbContext
    {
        await services.PrepareDatabaseAsync(connectionName, cancellationToken);
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TContext>().Database.MigrateAsync(cancellationToken);
        }
        await services.GrantDatabaseAsync(connectionName, cancellationToken);
    }

    /// <summary>With an admin connection configured: the owner and app roles and the database, made or brought up to date.</summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, string connectionName, CancellationToken cancellationToken = default)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        if (configuration.GetConnectionString(ResourceNames.Postgres) is not { Length: > 0 } admin)
        {
            return;   // the roles and the database exist already (a deployment's own provisioning, or an earlier run)
        }
        await DatabaseRoles.ProvisionAsync(admin, Owner(configuration, connectionName),
            configuration.GetConnectionString(ResourceNames.Databases.AppLogin(connectionName)) is { Length: > 0 } app ? app
                : throw new InvalidOperationException($"The migrate step makes the service's role from ConnectionStrings:{ResourceNames.Databases.AppLogin(connectionName)}, which is missing."),
            cancellationToken);
    }

    /// <summary>With the app role's connection configured: its grants on what the migrations made.</summary>
    public static async Task GrantDatabaseAsync(this IServiceProvider services, string connectionName, CancellationToken cancellationToken = default)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        if (configuration.GetConnectionString(ResourceNames.Databases.AppLogin(connectionName)) is { Length: > 0 } app)
        {
            await DatabaseRoles.GrantAsync(Owner(configuration, connectionName), app, cancellationToken);
        }
    }

    private static string Owner(IConfiguration configuration, string connectionName) =>
        configuration.GetConnectionString(connectionName) is { Length: > 0 } owner ? owner
            : throw new InvalidOperationException($"ConnectionStrings:{connectionName} (the owner's login) is missing.");
}
