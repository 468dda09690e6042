using Codex.Platform.Contracts;
using Codex.Platform.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Platform.Apis;

/// <summary>Event throughput as Platform sees it, for the console's charts.</summary>
public static class EventsApi
{
    /// <summary>A day of minutes.</summary>
    public const int MaxMinutes = 1440;

    public static void MapEventsApi(this RouteGroupBuilder platform)
    {
        platform.MapGet("/events/per-minute", PerMinute).WithTags("Events").WithName("EventsPerMinute")
            .WithSummary("Events recorded per minute and source service over the last ?minutes=1..1440 (default 60), oldest first, empty minutes included.");
    }

    public static async Task<Ok<EventsPerMinute>> PerMinute(EventRates rates, CancellationToken cancellationToken, int minutes = 60)
    {
        if (minutes is < 1 or > MaxMinutes)
        {
            throw new ValidationException("minutes", $"minutes is 1 to {MaxMinutes} (a day).");
        }
        return TypedResults.Ok(await rates.PerMinuteAsync(minutes, cancellationToken));
    }
}
