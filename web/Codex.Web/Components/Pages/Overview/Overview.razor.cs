using System.Globalization;
using Codex.Web.Api;
using Codex.Web.Session;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Caching.Memory;

namespace Codex.Web.Components.Pages.Overview;

/// <summary>
/// The superadmin's first page, live: health with its last hour, events per minute, and per service the
/// sync lag, the outbox backlog and the dead letters (with replay). Interactive, so it refreshes itself.
/// </summary>
/// <remarks>
/// The first paint has data: the prerender reads Platform's figures at once (no timer involved) and hands
/// them to the interactive page through this replica's memory (<see cref="HandoffFor"/>), so the page never
/// falls back to "Loading…" when it turns interactive. The services' own figures follow as soon as it is
/// interactive; then everything refreshes on the timer.
/// </remarks>
public sealed partial class Overview
{
    private const int RefreshSeconds = 15;

    /// <summary>Platform does not register itself (it is the poller), but it has an outbox and a DLQ too.</summary>
    private const string PlatformService = "platform";

    /// <summary>
    /// How long the prerender's snapshot waits for the interactive page of the same session. Not persisted
    /// component state: that travels back in the circuit's first message, which SignalR caps at 32 KB, and an
    /// hour of polls per service is more.
    /// </summary>
    private static readonly TimeSpan HandoffFor = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stop = new();

    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = default!;
    [Inject] private IMemoryCache Handoff { get; set; } = default!;
    [Inject] private PersistentComponentState PageState { get; set; } = default!;

    /// <summary>Names this render's handoff: only the interactive page of this very render takes it.</summary>
    private const string HandoffStateKey = "codex-overview-handoff";

    private PersistingComponentStateSubscription _persisting;

    private OverviewSnapshot? Snapshot { get; set; }
    private string? Message { get; set; }
    private bool Busy { get; set; }

    /// <summary>A service's own figure before it has been read, then one that could not be.</summary>
    private string Unread => Snapshot is { DeliveryRead: true } ? "unknown" : "reading…";

    protected override async Task OnInitializedAsync()
    {
        // Keyed by the session (a secret) and by this render (its id travels in the persisted state, a few bytes):
        // only the interactive page of the same render picks the figures up, never a late circuit of an earlier
        // visit or another tab of the same session.
        var session = ConsoleClaims.SessionOf((await Authentication).User);
        if (RendererInfo.IsInteractive && session is not null && PageState.TryTakeFromJson<string>(HandoffStateKey, out var handoff) && handoff is not null
            && Handoff.TryGetValue($"codex:web:overview:{session}:{handoff}", out OverviewSnapshot? prerendered) && prerendered is not null)
        {
            // Synchronously: the interactive page's first render already has the prerender's figures.
            Handoff.Remove($"codex:web:overview:{session}:{handoff}");
            Snapshot = prerendered;
            return;
        }
        await LoadAsync();
        if (!RendererInfo.IsInteractive && session is not null && Snapshot is not null)
        {
            var id = Guid.NewGuid().ToString("N");
            Handoff.Set($"codex:web:overview:{session}:{id}", Snapshot, HandoffFor);
            _persisting = PageState.RegisterOnPersisting(() =>
            {
                PageState.PersistAsJson(HandoffStateKey, id);
                return Task.CompletedTask;
            }, Microsoft.AspNetCore.Components.Web.RenderMode.InteractiveServer);
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            _ = RefreshLoopAsync(_stop.Token);
        }
    }

    private async Task RefreshLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(RefreshSeconds));
        try
        {
            // At once, not at the first tick: the services' own figures complete the first paint.
            await InvokeAsync(async () =>
            {
                await ReadDeliveryAsync(stop);
                StateHasChanged();
            });
            while (await timer.WaitForNextTickAsync(stop))
            {
                await InvokeAsync(async () =>
                {
                    await RefreshAsync(stop);
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The page was left.
        }
    }

    /// <summary>Platform's figures only: what the first paint needs.</summary>
    private Task LoadAsync() => RunAsync(async () => Snapshot = await OverviewSnapshot.TakeAsync(Platform, PlatformService, _stop.Token));

    /// <summary>The services' own figures for the snapshot on show, if they are not in it yet.</summary>
    private Task ReadDeliveryAsync(CancellationToken stop) => RunAsync(async () =>
    {
        if (Snapshot is { DeliveryRead: false } shown)
        {
            Snapshot = await shown.WithDeliveryAsync(Platform, PlatformService, stop);
        }
    });

    /// <summary>Everything, shown at once when all of it is read (no figure goes back to "reading…" on a refresh).</summary>
    private Task RefreshAsync(CancellationToken stop) => RunAsync(async () =>
    {
        var next = await OverviewSnapshot.TakeAsync(Platform, PlatformService, stop);
        Snapshot = await next.WithDeliveryAsync(Platform, PlatformService, stop);
    });

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
            await RefreshAsync(_stop.Token);
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
        _persisting.Dispose();
    }
}
