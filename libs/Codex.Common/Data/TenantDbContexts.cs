using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Codex;

/// <summary>
/// A pooled DbContext that takes state from the scope it is leased into (the caller's tenant, which its
/// query filters read). Pooled contexts cannot take scoped services in their constructor.
/// </summary>
public interface IScopedDbContext
{
    /// <summary>Called with the scope's services each time the context is handed out.</summary>
    void AttachScope(IServiceProvider services);
}

public static class TenantDbContexts
{
    /// <summary>
    /// A tenant-filtered <typeparamref name="TContext"/> on <c>ConnectionStrings:&lt;connectionName&gt;</c>.
    /// Aspire's <c>AddNpgsqlDbContext</c> registers <c>AddDbContextPool</c>, which offers no hook when a
    /// context is leased into a scope; so this is EF's pooled factory plus a scoped lease that attaches the
    /// scope, enriched by Aspire's <c>EnrichNpgsqlDbContext</c> (retries, health check, tracing, metrics):
    /// the integration's documented path for a context registered by hand.
    /// </summary>
    public static void AddTenantDbContext<TContext>(this IHostApplicationBuilder builder, string connectionName)
        where TContext : DbContext, IScopedDbContext
    {
        var configuration = builder.Configuration;
        builder.Services.AddPooledDbContextFactory<TContext>(options =>
        {
            options.UseNpgsql(CodexDbContextDefaults.WithReadDefaults(configuration.GetConnectionString(connectionName)) is { Length: > 0 } connectionString
                ? connectionString
                : throw new InvalidOperationException($"ConnectionString is missing. It should be provided in 'ConnectionStrings:{connectionName}'."));
            CodexDbContextDefaults.Options(options);
            if (typeof(ITenantRowSecurity).IsAssignableFrom(typeof(TContext)))
            {
                options.AddInterceptors(TenantRowSecurity.Interceptors);
            }
        });
        builder.EnrichNpgsqlDbContext<TContext>(CodexDbContextDefaults.EnrichSettings);
        builder.Services.AddScoped(services =>
        {
            var context = services.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext();
            context.AttachScope(services);
            return context;
        });
    }
}
