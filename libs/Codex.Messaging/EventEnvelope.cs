using System.Text.Json;
using Codex.Contracts;

namespace Codex.Messaging;

/// <summary>What travels on the wire: the event's data with who, when, where from and which trace.</summary>
public sealed record EventEnvelope(
    Guid Id,
    string Type,
    string? TenantId,
    DateTimeOffset OccurredAt,
    string Source,
    string? Traceparent,
    int Version,
    JsonElement Data)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Who caused the event: the <c>sub</c> of the authenticated caller whose request wrote it; null for system work.</summary>
    public string? Actor { get; init; }

    /// <summary>Wraps <paramref name="event"/> with a fresh UUID v7 and the current trace.</summary>
    public static EventEnvelope Create(IIntegrationEvent @event, string source, TimeProvider clock, string? actor = null)
    {
        var type = EventTypes.Of(@event.GetType());
        var now = clock.GetUtcNow();   // the v7 id's timestamp and occurredAt are the same instant
        return new EventEnvelope(
            Guid.CreateVersion7(now),
            type.Name,
            @event.TenantId,
            now,
            source,
            System.Diagnostics.Activity.Current?.Id,
            type.Version,
            JsonSerializer.SerializeToElement(@event, @event.GetType(), Json))
        {
            Actor = actor,
        };
    }

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Null when the bytes are not an envelope.</summary>
    public static EventEnvelope? TryParse(ReadOnlySpan<byte> body)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<EventEnvelope>(body, Json);
            return envelope is { Id: var id, Type: { Length: > 0 } } && id != Guid.Empty ? envelope : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
