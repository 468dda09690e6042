using Codex.ServiceDefaults.Clients;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>Aspire.Npgsql.EntityFrameworkCore.PostgreSQL's registration, by hand.</summary>
public static class NpgsqlDbContextExtensions
{
    private const string Section = "Aspire:Npgsql:EntityFrameworkCore:PostgreSQL";

    /// <summary>
    /// A pooled <typeparamref name="TContext"/> on <c>ConnectionStrings:&lt;connectionName&gt;</c> with
    /// retry on transient failures (so explicit transactions go through <c>CreateExecutionStrategy()</c>)
    /// and a readiness check named after the context.
    /// </summary>
    public static void AddNpgsqlDbContext<TContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<NpgsqlDbContextSettings>? configureSettings = null,
        Action<DbContextOptionsBuilder>? configureDbContextOptions = null)
        where TContext : DbContext
    {
        var settings = ClientSettings.Bind<NpgsqlDbContextSettings>(
            builder.Configuration, Section, connectionName, connectionName, typeof(TContext).Name);
        configureSettings?.Invoke(settings);

        // A pooled factory plus a scoped lease (rather than AddDbContextPool) so a context can pick up
        // scoped state such as the caller's tenant each time it is leased: see IScopedDbContext.
        builder.Services.AddPooledDbContextFactory<TContext>(options =>
        {
            var connectionString = WithReadDefaults(settings.ConnectionString ?? throw ClientSettings.Missing(connectionName));
            options.UseNpgsql(connectionString, npgsql =>
            {
                if (!settings.DisableRetry)
                {
                    npgsql.EnableRetryOnFailure();
                }
                if (settings.CommandTimeout is { } seconds)
                {
                    npgsql.CommandTimeout(seconds);
                }
            });
            configureDbContextOptions?.Invoke(options);
        });
        builder.Services.AddScoped(services =>
        {
            var context = services.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext();
            (context as IScopedDbContext)?.AttachScope(services);
            return context;
        });

        if (!settings.DisableHealthChecks && settings.ConnectionString is { } checkedConnectionString)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                typeof(TContext).Name,
                _ => new NpgsqlHealthCheck(checkedConnectionString),
                failureStatus: HealthStatus.Unhealthy,
                tags: ["ready", "db"],
                timeout: ClientSettings.HealthCheckTimeout));
        }
    }

    /// <summary>
    /// Prepared statements (<c>Max Auto Prepare=20</c>) and no <c>DISCARD ALL</c> on each pool return
    /// (<c>No Reset On Close=true</c>) unless the connection string says otherwise: together ~40 % of
    /// read throughput here (ARCHITECTURE.md). Safe because services keep no session state on connections.
    /// </summary>
    public static string WithReadDefaults(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!ContainsKey(connectionString, "Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 20;
        }
        if (!ContainsKey(connectionString, "No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }
        return builder.ConnectionString;
    }

    // Npgsql accepts "Max Auto Prepare" and "MaxAutoPrepare" alike, so spaces do not count.
    private static bool ContainsKey(string connectionString, string key) =>
        connectionString.Split(';').Any(part => part.Split('=')[0].Replace(" ", "", StringComparison.Ordinal)
            .Equals(key.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
}
