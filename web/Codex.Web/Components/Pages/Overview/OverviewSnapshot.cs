using Codex.Web.Api;

namespace Codex.Web.Components.Pages.Overview;

/// <summary>One service's event delivery: how late its events reach Platform, what waits to be sent, what failed.</summary>
public sealed record DeliveryRow(string Service, SyncLag? Lag, OutboxBacklog? Outbox, long? DeadLetters);

/// <summary>Everything the overview shows, read in parallel; a figure that cannot be read is shown as unknown, not as a failure of the page.</summary>
public sealed record OverviewSnapshot(
    DateTimeOffset TakenAt,
    IReadOnlyList<ServiceOverview> Services,
    IReadOnlyDictionary<string, IReadOnlyList<HealthCheckDto>> History,
    EventsPerMinute? Events,
    IReadOnlyList<DeliveryRow> Delivery)
{
    public static async Task<OverviewSnapshot> TakeAsync(PlatformApi platform, string platformService, CancellationToken cancellationToken)
    {
        var services = await platform.ServicesAsync(cancellationToken);
        var history = services.ToDictionary(s => s.Name, s => OptionalAsync(() => platform.HealthHistoryAsync(s.Name, 1, cancellationToken)));
        var events = OptionalAsync(() => platform.EventsPerMinuteAsync(60, cancellationToken));
        var names = services.Select(s => s.Name).Append(platformService).Distinct().ToList();
        var outboxes = names.ToDictionary(name => name, name => OptionalAsync(() => platform.OutboxAsync(name, cancellationToken)));
        // Platform's own dead letters are not in the registry's overview: counted from its admin route (up to 500).
        var platformDeadLetters = OptionalAsync(() => platform.DeadLettersAsync(platformService, 500, cancellationToken));

        await Task.WhenAll([.. history.Values, events, .. outboxes.Values, platformDeadLetters]);

        var delivery = names.Select(name =>
        {
            var overview = services.FirstOrDefault(s => s.Name == name);
            var deadLetters = name == platformService ? platformDeadLetters.Result?.Count : overview?.DeadLetters;
            return new DeliveryRow(name, overview?.SyncLag5m, outboxes[name].Result, deadLetters);
        }).ToList();
        return new OverviewSnapshot(
            DateTimeOffset.UtcNow,
            services,
            history.ToDictionary(entry => entry.Key, entry => (IReadOnlyList<HealthCheckDto>)(entry.Value.Result ?? [])),
            events.Result,
            delivery);
    }

    /// <summary>A secondary figure: its refusal leaves a gap (shown as unknown); an ended session still ends the page.</summary>
    private static async Task<T?> OptionalAsync<T>(Func<Task<T>> read) where T : class
    {
        try
        {
            return await read();
        }
        catch (ApiProblemException)
        {
            return null;
        }
    }
}
