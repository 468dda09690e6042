using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Codex.ServiceDefaults.Clients;

/// <summary>Healthy when the shared connection is open and a channel can be opened on it.</summary>
internal sealed class RabbitMQHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Resolved off the calling thread: the first connect blocks while it retries.
            var connection = await Task.Run(services.GetRequiredService<IConnection>, cancellationToken).WaitAsync(cancellationToken);
            if (!connection.IsOpen)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "RabbitMQ connection is closed (recovering).");
            }
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "RabbitMQ is unreachable.", ex);
        }
    }
}
