using Aspire.Npgsql.EntityFrameworkCore.PostgreSQL;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Codex;

/// <summary>What every Codex DbContext gets on top of Aspire's Npgsql integration.</summary>
public static class CodexDbContextDefaults
{
    /// <summary>
    /// For <c>AddNpgsqlDbContext</c>'s <c>configureSettings</c>: prepared statements (<c>Max Auto Prepare=20</c>)
    /// and no <c>DISCARD ALL</c> on each pool return (<c>No Reset On Close=true</c>) unless the connection string
    /// says otherwise. Together ~40 % of read throughput here (ARCHITECTURE.md); safe because services keep no
    /// session state on connections.
    /// </summary>
    public static void Settings(NpgsqlEntityFrameworkCorePostgreSQLSettings settings) =>
        settings.ConnectionString = WithReadDefaults(settings.ConnectionString);

    /// <summary>For <c>configureDbContextOptions</c>: snake_case names (ARCHITECTURE.md) from EFCore.NamingConventions.</summary>
    public static void Options(DbContextOptionsBuilder options) => options.UseSnakeCaseNamingConvention();

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
        return builder.ConnectionString;
    }

    // Npgsql accepts "Max Auto Prepare" and "MaxAutoPrepare" alike, so spaces do not count.
    private static bool Names(string connectionString, string key) =>
        connectionString.Split(';').Any(part => part.Split('=')[0].Replace(" ", "", StringComparison.Ordinal)
            .Equals(key.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
}
