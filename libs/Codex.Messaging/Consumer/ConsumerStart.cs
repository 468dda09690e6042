using Microsoft.Extensions.Logging;

namespace Codex.Messaging.Consumer;

/// <summary>
/// Starting a consumer until it works: RabbitMQ may not be up yet, so each failure is logged and
/// retried after a doubling delay (500 ms up to <c>EventBus:RelayMaxBackoff</c>).
/// </summary>
internal static partial class ConsumerStart
{
    /// <summary>True once <paramref name="start"/> succeeded; false when stopping first.</summary>
    public static async Task<bool> UntilStartedAsync(
        Func<CancellationToken, Task> start, Func<Task> cleanUp, EventBusOptions settings, ILogger logger, CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await start(stoppingToken);
                return true;   // from here the client's automatic recovery keeps the consumer alive
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex)
            {
                LogStartFailed(logger, ex, delay.TotalMilliseconds);
                await cleanUp();
                await Task.Delay(delay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromMilliseconds(Math.Min(settings.RelayMaxBackoff.TotalMilliseconds, delay.TotalMilliseconds * 2));
            }
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event consumer could not start; retrying in {DelayMs} ms")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, double delayMs);
}
