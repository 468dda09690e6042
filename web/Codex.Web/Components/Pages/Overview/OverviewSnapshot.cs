using Codex.Web.Api;

namespace Codex.Web.Components.Pages.Overview;

/// <summary>One service's event delivery: how late its events reach Platform, what waits to be sent, what failed.</summary>
public sealed record DeliveryRow(string Service, SyncLag? Lag, OutboxBacklog? Outbox, long? DeadLetters);

/// <summary>
/// One service's card: its registry entry and last hour of polls when it is deployed here; when it is not,
/// the entry Platform kept from when it was (if any) and no polls. A service not deployed is not failing.
/// </summary>
public sealed record ServiceCard(string Name, ServiceOverview? Overview, IReadOnlyList<HealthCheckDto> History, bool Deployed);

/// <summary>
/// Everything the overview shows. Platform's own figures (the registry, the polls, events per minute) come
/// first and make the first paint; each service's own figures (outbox backlog, Platform's dead letters) are
/// read through the gateway from the service itself, within a time budget, and follow
/// (<c>DeliveryRead</c>). A figure that cannot be read is shown as unknown, not as a failure of the page.
/// </summary>
public sealed record OverviewSnapshot(
    DateTimeOffset TakenAt,
    IReadOnlyList<ServiceCard> Services,
    EventsPerMinute? Events,
    IReadOnlyList<DeliveryRow> Delivery,
    bool DeliveryRead)
{
    /// <summary>
    /// The services the gateway routes to, Platform aside (the gateway's <c>GatewayRoutes.Routed</c>): each has
    /// a card, deployed here or not.
    /// </summary>
    public static readonly IReadOnlyList<string> Routed =
    [
        ResourceNames.Services.Auth, ResourceNames.Services.Crm, ResourceNames.Services.Cms, ResourceNames.Services.Billing,
        ResourceNames.Services.Analytics, ResourceNames.Services.Notifications,
    ];

    /// <summary>
    /// How far a registry entry's last poll may trail the newest one before the entry counts as no longer polled.
    /// Platform polls every service it has an address for in one round (every 15 s); an entry left behind is a
    /// service whose address is gone from this environment, and it keeps its last poll's status (often
    /// Unreachable) for ever.
    /// </summary>
    public static readonly TimeSpan NoLongerPolledAfter = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a service's own figure may take. The gateway answers 503 with <c>Retry-After: 5</c> for a service
    /// that is down, which the HTTP client's standard retries would turn into 15 s of waiting.
    /// </summary>
    public static readonly TimeSpan FigureBudget = TimeSpan.FromSeconds(3);

    /// <summary>Platform's figures: what the first paint needs, all from Platform's own routes.</summary>
    public static async Task<OverviewSnapshot> TakeAsync(PlatformApi platform, string platformService, CancellationToken cancellationToken)
    {
        var registered = await platform.ServicesAsync(cancellationToken);
        var newest = registered.Max(s => s.LastCheckedAt);
        var history = registered.Where(s => IsPolled(s, newest)).ToDictionary(
            s => s.Name, s => OptionalAsync(() => platform.HealthHistoryAsync(s.Name, 1, cancellationToken), cancellationToken));
        var events = OptionalAsync(() => platform.EventsPerMinuteAsync(60, cancellationToken), cancellationToken);

        await Task.WhenAll([.. history.Values, events]);

        var cards = Cards(registered, history.ToDictionary(entry => entry.Key, entry => (IReadOnlyList<HealthCheckDto>)(entry.Value.Result ?? [])));
        // Delivery is read from each deployed service (and Platform); a service not deployed has nothing to read,
        // and the gateway would only answer 503 for it.
        var delivery = cards.Where(card => card.Deployed).Select(card => card.Name).Append(platformService).Distinct().Select(name =>
        {
            var overview = registered.FirstOrDefault(s => s.Name == name);
            // Platform's own dead letters are not in the registry's overview: counted from its admin route, with the outboxes.
            return new DeliveryRow(name, overview?.SyncLag5m, null, name == platformService ? null : overview?.DeadLetters);
        }).ToList();
        return new OverviewSnapshot(DateTimeOffset.UtcNow, cards, events.Result, delivery, DeliveryRead: false);
    }

    /// <summary>
    /// The services' own figures, each through the gateway from the service itself and each within
    /// <see cref="FigureBudget"/>: one that is down or slow is unknown, and the rest are not held up by it.
    /// </summary>
    public async Task<OverviewSnapshot> WithDeliveryAsync(PlatformApi platform, string platformService, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(FigureBudget);
        var outboxes = Delivery.ToDictionary(
            row => row.Service, row => OptionalAsync(() => platform.OutboxAsync(row.Service, budget.Token), cancellationToken));
        // Up to 500: Platform's dead letters are counted from the list its admin route answers.
        var platformDeadLetters = OptionalAsync(() => platform.DeadLettersAsync(platformService, 500, budget.Token), cancellationToken);

        await Task.WhenAll([.. outboxes.Values, platformDeadLetters]);

        return this with
        {
            Delivery =
            [
                .. Delivery.Select(row => row with
                {
                    Outbox = outboxes[row.Service].Result,
                    DeadLetters = row.Service == platformService ? platformDeadLetters.Result?.Count : row.DeadLetters,
                }),
            ],
            DeliveryRead = true,
        };
    }

    /// <summary>
    /// The cards: the services Platform polls now (deployed), then, by name, those it no longer polls and those
    /// the gateway knows that Platform has never seen (not deployed here).
    /// </summary>
    public static IReadOnlyList<ServiceCard> Cards(IReadOnlyList<ServiceOverview> registered, IReadOnlyDictionary<string, IReadOnlyList<HealthCheckDto>> history)
    {
        var newest = registered.Max(s => s.LastCheckedAt);
        var deployed = registered.Where(s => IsPolled(s, newest))
            .Select(s => new ServiceCard(s.Name, s, history.GetValueOrDefault(s.Name) ?? [], Deployed: true));
        var left = registered.Where(s => !IsPolled(s, newest))
            .Select(s => new ServiceCard(s.Name, s, [], Deployed: false));
        var never = Routed.Where(name => !registered.Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
            .Select(name => new ServiceCard(name, null, [], Deployed: false));
        return [.. deployed, .. left.Concat(never).OrderBy(card => card.Name, StringComparer.Ordinal)];
    }

    /// <summary>Whether Platform still polls the service: its last poll is in the newest round (or it has none yet).</summary>
    private static bool IsPolled(ServiceOverview service, DateTimeOffset? newest) =>
        service.LastCheckedAt is not { } checkedAt || newest is not { } latest || latest - checkedAt <= NoLongerPolledAfter;

    /// <summary>
    /// A secondary figure: its refusal, or its time budget running out, leaves a gap (shown as unknown); an ended
    /// session still ends the page, and so does leaving it (<paramref name="page"/>).
    /// </summary>
    private static async Task<T?> OptionalAsync<T>(Func<Task<T>> read, CancellationToken page) where T : class
    {
        try
        {
            return await read();
        }
        catch (ApiProblemException)
        {
            return null;
        }
        catch (OperationCanceledException) when (!page.IsCancellationRequested)
        {
            return null;
        }
    }
}
