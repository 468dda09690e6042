using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Codex;

/// <summary>A service's <c>migrate</c> step: its database's EF Core migrations, applied in a scope of their own.</summary>
public static class DatabaseMigration
{
    /// <summary>Applies <typeparamref name="TContext"/>'s pending migrations (creating the database when missing).</summary>
    public static async Task MigrateDatabaseAsync<TContext>(this IServiceProvider services, CancellationToken cancellationToken = default)
        where TContext : DbContext
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TContext>().Database.MigrateAsync(cancellationToken);
    }
}
