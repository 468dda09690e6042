using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Codex.ServiceDefaults.Clients;

/// <summary>
/// Opens a connection and runs <c>SELECT 1</c>. It goes around EF's retrying execution strategy on
/// purpose: a probe must fail fast, not retry for 30 seconds.
/// </summary>
internal sealed class NpgsqlHealthCheck(string connectionString) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "PostgreSQL is unreachable.", ex);
        }
    }
}
