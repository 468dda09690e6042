using System.Text.Json;

namespace Codex.Platform.Model;

/// <summary>One figure of one service for one tenant (<c>auth/users</c>), kept current from events.</summary>
public sealed class SummaryFigure
{
    public required string TenantId { get; set; }
    public required string Service { get; set; }
    public required string Figure { get; set; }
    public required JsonDocument Value { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>What the audit log and the security events share: the ledger's search and order go by these.</summary>
public interface ILedgerRecord
{
    Guid Id { get; }
    string TenantId { get; }
    string Type { get; }
    DateTimeOffset OccurredAt { get; }
}

/// <summary>Every event Platform received: who did what, for which tenant, when, from where, in which trace.</summary>
public sealed class AuditEntry : ILedgerRecord
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public required string Type { get; set; }
    public string? Actor { get; set; }
    public required string Source { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public string? TraceId { get; set; }
    public required JsonDocument Data { get; set; }
}

/// <summary>Failed logins, lockouts, refresh-token reuse, permission denials.</summary>
public sealed class SecurityEvent : ILedgerRecord
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public required string Type { get; set; }
    public Guid? UserId { get; set; }
    public string? Email { get; set; }
    public required string Source { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public required JsonDocument Data { get; set; }
}

/// <summary>Why a summary figure has the value it has: the event, or the reconciliation, that set it.</summary>
public sealed class LineageEntry
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public required string Service { get; set; }
    public required string Figure { get; set; }
    public required JsonDocument Value { get; set; }
    public JsonDocument? Previous { get; set; }
    public required string Kind { get; set; }
    public Guid? EventId { get; set; }
    public string? EventType { get; set; }
    public string? EventSource { get; set; }
    public DateTimeOffset? OccurredAt { get; set; }
    public DateTimeOffset AppliedAt { get; set; }
}

public static class LineageKinds
{
    public const string Event = "event";
    public const string Reconciliation = "reconciliation";
}
