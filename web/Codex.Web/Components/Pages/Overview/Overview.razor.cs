using System.Globalization;
using Codex.Web.Api;

namespace Codex.Web.Components.Pages.Overview;

/// <summary>
/// The superadmin's first page, live: health with its last hour, events per minute, and per service the
/// sync lag, the outbox backlog and the dead letters (with replay). Interactive, so it refreshes itself.
/// </summary>
public sealed partial class Overview
{
    private const int RefreshSeconds = 15;

    /// <summary>Platform does not register itself (it is the poller), but it has an outbox and a DLQ too.</summary>
    private const string PlatformService = "platform";

    private readonly CancellationTokenSource _stop = new();

    private OverviewSnapshot? Snapshot { get; set; }
    private string? Message { get; set; }
    private bool Busy { get; set; }

    protected override Task OnInitializedAsync() => LoadAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            _ = RefreshLoopAsync();
        }
    }

    private async Task RefreshLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(RefreshSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                await InvokeAsync(async () =>
                {
                    await LoadAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The page was left.
        }
    }

    private Task LoadAsync() => RunAsync(async () => Snapshot = await OverviewSnapshot.TakeAsync(Platform, PlatformService, _stop.Token));

    private async Task ReplayAsync(string service)
    {
        Busy = true;
        Message = null;
        if (await RunAsync(async () =>
        {
            var result = await Platform.ReplayDeadLettersAsync(service, _stop.Token);
            Message = $"{result.Replayed} dead letter{(result.Replayed == 1 ? "" : "s")} of {service} sent back for delivery.";
        }))
        {
            await LoadAsync();
        }
        Busy = false;
    }

    private static string EventCount(int count) => count == 1 ? "1 event" : $"{count} events";

    private static string Backlog(OutboxBacklog outbox) =>
        outbox.Pending == 0
            ? "0"
            : string.Create(CultureInfo.InvariantCulture, $"{outbox.Pending} (oldest {outbox.OldestPendingAgeSeconds ?? 0:0} s)");

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
