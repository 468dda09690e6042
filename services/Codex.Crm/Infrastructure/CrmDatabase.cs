using Microsoft.EntityFrameworkCore;

namespace Codex.Crm.Infrastructure;

/// <summary>The <c>migrate</c> step: crmdb's migrations. Pipelines are seeded per tenant from <c>platform.tenant.created</c>.</summary>
public static class CrmDatabase
{
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<CrmDbContext>().Database.MigrateAsync(cancellationToken);
    }
}
