using Microsoft.EntityFrameworkCore;

namespace Codex.Platform.Infrastructure;

/// <summary>The <c>migrate</c> step: cdxdb's migrations. The service registry fills itself from configuration at run time.</summary>
public static class PlatformDatabase
{
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PlatformDbContext>().Database.MigrateAsync(cancellationToken);
    }
}
