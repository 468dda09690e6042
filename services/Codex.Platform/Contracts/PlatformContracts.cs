using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Codex.Platform.Contracts;

public sealed record ClientRequest(
    [property: Required, StringLength(200, MinimumLength = 1)] string Name,
    [property: EmailAddress, StringLength(256)] string? ContactEmail = null);

public sealed record ClientDto(Guid Id, string Name, string? ContactEmail, int Tenants, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record ConfigValueRequest(JsonElement Value, [property: StringLength(500)] string? Description = null);

public sealed record ConfigEntryDto(string Key, JsonElement Value, string? Description, DateTimeOffset UpdatedAt, string? UpdatedBy);

public sealed record AuditEntryDto(Guid Id, string TenantId, string Type, string? Actor, string Source, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, string? TraceId, JsonElement Data);

public sealed record SecurityEventDto(Guid Id, string TenantId, string Type, Guid? UserId, string? Email, string Source, DateTimeOffset OccurredAt, JsonElement Data);

public sealed record SyncLag(double P50Ms, double P95Ms, double MaxMs, int Events);

public sealed record ServiceOverview(
    string Name, string Url, string? Version, string Status, double? ResponseMs, DateTimeOffset? LastCheckedAt, DateTimeOffset? LastHealthyAt,
    double? Availability24h, SyncLag? SyncLag5m, long? DeadLetters);

public sealed record HealthCheckDto(DateTimeOffset CheckedAt, string Status, double? ResponseMs, string? Error);

public sealed record RepairDto(string TenantId, string Service, string Figure, JsonElement? Was, JsonElement Now);

public sealed record ReconciliationReport(int Tenants, int FiguresCompared, IReadOnlyList<RepairDto> Repairs, IReadOnlyList<string> Unreachable);

/// <summary>Events Platform recorded in one minute (UTC, truncated), in all and per source service.</summary>
public sealed record MinuteEvents(DateTimeOffset Minute, int Total, IReadOnlyDictionary<string, int> BySource);

/// <summary>Every minute from <see cref="From"/> to <see cref="To"/>, oldest first, minutes without events included.</summary>
public sealed record EventsPerMinute(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<MinuteEvents> Minutes);
