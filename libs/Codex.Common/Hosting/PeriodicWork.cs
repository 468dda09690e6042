namespace Codex;

/// <summary>The loop of a background job that runs on an interval until the host stops.</summary>
public static class PeriodicWork
{
    /// <summary>
    /// Runs <paramref name="pass"/> (at once when <paramref name="runAtStart"/>, else after the first
    /// interval) and then on every tick. A failed pass goes to <paramref name="onFailure"/> and the next
    /// runs on schedule; stopping ends the loop quietly.
    /// </summary>
    public static async Task RunAsync(TimeSpan interval, TimeProvider clock, bool runAtStart,
        Func<CancellationToken, Task> pass, Action<Exception> onFailure, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            if (!runAtStart && !await timer.WaitForNextTickAsync(stoppingToken))
            {
                return;
            }
            do
            {
                try
                {
                    await pass(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    onFailure(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
