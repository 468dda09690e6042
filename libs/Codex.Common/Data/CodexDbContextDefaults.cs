using Aspire.Npgsql.EntityFrameworkCore.PostgreSQL;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Codex;

/// <summary>What every Codex DbContext gets on top of Aspire's Npgsql integration.</summary>
public static class CodexDbContextDefaults
{
    /// <summary>
    /// For <c>AddNpgsqlDbContext</c>'s <c>configureSettings</c>: a 5 s connect timeout, prepared statements (<c>Max Auto Prepare=20</c>)
    /// and no <c>DISCARD ALL</c> on each pool return (<c>No Reset On Close=true</c>) unless the connection string
    /// says otherwise. Together ~40 % of read throughput here (ARCHITECTURE.md); safe because services keep no
    /// session state on connections.
    /// </summary>
    public static void Settings(NpgsqlEntityFrameworkCorePostgreSQLSettings settings)
    {
        settings.ConnectionString = WithReadDefaults(settings.ConnectionString);
        settings.DisableRetry = true;   // Options sets Codex's own, shorter retries
    }

    /// <summary>Retries of a failed command: few and short, so an outage answers 503 in seconds rather than after a minute.</summary>
    public const int MaxRetries = 2;

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// For <c>configureDbContextOptions</c>: snake_case names (ARCHITECTURE.md) from EFCore.NamingConventions, and
    /// <see cref="MaxRetries"/> retries of transient failures at most <see cref="MaxRetryDelay"/> apart (Aspire's
    /// default is six, up to 30 s apart, which outlasts the gateway's timeout).
    /// </summary>
    public static void Options(DbContextOptionsBuilder options)
    {
        options.UseSnakeCaseNamingConvention();
        options.UseNpgsql(npgsql => npgsql.EnableRetryOnFailure(MaxRetries, MaxRetryDelay, errorCodesToAdd: null));
    }

    /// <summary>For <c>EnrichNpgsqlDbContext</c>: its telemetry and health check, without its retries (<see cref="Options"/> has them).</summary>
    public static void EnrichSettings(NpgsqlEntityFrameworkCorePostgreSQLSettings settings) => settings.DisableRetry = true;

    public static string? WithReadDefaults(string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            // `dotnet ef` builds the host only to read the model: no server is contacted, any name will do.
            return EF.IsDesignTime ? "Host=design-time" : connectionString;
        }
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Names(connectionString, "Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 20;
        }
        if (!Names(connectionString, "No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }
        if (!Names(connectionString, "Timeout"))
        {
            builder.Timeout = 5;   // seconds to open a connection (Npgsql's default is 15): an unreachable server fails fast
        }
        return builder.ConnectionString;
    }

    // Npgsql accepts "Max Auto Prepare" and "MaxAutoPrepare" alike, so spaces do not count.
    private static bool Names(string connectionString, string key) =>
        connectionString.Split(';').Any(part => part.Split('=')[0].Replace(" ", "", StringComparison.Ordinal)
            .Equals(key.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
}
