using System.Text.Json;
using System.Text.Json.Nodes;
using Codex.Contracts;
using Codex.Messaging;
using Codex.Messaging.Consumer;
using Codex.Platform.Infrastructure;
using Codex.Platform.Model;
using Codex.Platform.Services;
using Codex.Platform.Summaries;

namespace Codex.Platform.IntegrationEvents;

/// <summary>
/// Platform's one consumer of every event: the audit log, security events, the tenant summaries with
/// their lineage, and the sync-lag metric, all in the inbox's transaction (a redelivery changes nothing).
/// </summary>
public sealed class EventLedgerHandler(
    PlatformDbContext db, SummaryStore summaries, IEnumerable<ISummaryProjection> projections, PlatformMetrics metrics, TimeProvider clock)
    : IEventEnvelopeHandler
{
    /// <summary>The event types that are also security events.</summary>
    public static readonly IReadOnlySet<string> SecurityTypes = new HashSet<string>(EventTypes.Security, StringComparer.Ordinal);

    public async Task HandleAsync(EventEnvelope envelope, EventContext context, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var data = JsonDocument.Parse(Redacted(envelope.Data));
        db.AuditLog.Add(new AuditEntry
        {
            Id = envelope.Id, TenantId = envelope.TenantId!, Type = envelope.Type, Actor = envelope.Actor ?? UserIdOf(envelope.Data),
            Source = envelope.Source, OccurredAt = envelope.OccurredAt, RecordedAt = now, TraceId = TraceIdOf(envelope.Traceparent),
            Data = data,
        });
        if (SecurityTypes.Contains(envelope.Type))
        {
            db.SecurityEvents.Add(new SecurityEvent
            {
                Id = envelope.Id, TenantId = envelope.TenantId!, Type = envelope.Type,
                UserId = Guid.TryParse(UserIdOf(envelope.Data), out var userId) ? userId : null,
                Email = envelope.Data.TryGetProperty("email", out var email) && email.ValueKind == JsonValueKind.String ? email.GetString() : null,
                Source = envelope.Source, OccurredAt = envelope.OccurredAt, Data = data,
            });
        }
        foreach (var projection in projections)
        {
            var changes = new SummaryChanges();
            projection.Project(envelope, changes);
            if (changes.All.Count > 0)
            {
                await summaries.ApplyAsync(envelope, projection.Service, changes, cancellationToken);
            }
        }
        metrics.SyncLag(envelope.Source, now - envelope.OccurredAt);
    }

    // Tokens and secrets that travel in some events (reset links, invitations) never reach the audit log.
    internal static string Redacted(JsonElement data)
    {
        if (JsonNode.Parse(data.GetRawText()) is not JsonObject root)
        {
            return data.GetRawText();
        }
        foreach (var name in root.Select(p => p.Key).ToList())
        {
            if (name.EndsWith("token", StringComparison.OrdinalIgnoreCase) || name.Contains("password", StringComparison.OrdinalIgnoreCase)
                || name.Contains("secret", StringComparison.OrdinalIgnoreCase))
            {
                root[name] = "[redacted]";
            }
        }
        return root.ToJsonString();
    }

    private static string? UserIdOf(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty("userId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    // traceparent: 00-<trace id>-<span id>-<flags>
    private static string? TraceIdOf(string? traceparent) =>
        traceparent?.Split('-') is [_, { Length: 32 } traceId, ..] ? traceId : null;
}
