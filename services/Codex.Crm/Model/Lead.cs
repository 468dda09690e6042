namespace Codex.Crm.Model;

public sealed class Lead : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public required string Title { get; set; }
    public string? ContactName { get; set; }
    public string? ContactEmail { get; set; }
    public string? Company { get; set; }
    public string? Source { get; set; }
    public Guid PipelineId { get; set; }
    public required string Stage { get; set; }
    public string Status { get; set; } = LeadStatuses.Open;
    public decimal Value { get; set; }
    public required string Currency { get; set; }
    public int Probability { get; set; }
    public DateOnly? ExpectedCloseDate { get; set; }
    public Guid? AssignedTo { get; set; }
    public string? LostReason { get; set; }

    /// <summary>The customer this lead is for, set when it is converted (or created for one).</summary>
    public Guid? CustomerId { get; set; }
    public DateTimeOffset? ConvertedAt { get; set; }

    public DateTimeOffset StageEnteredAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
}

/// <summary>A lead's status follows the kind of the stage it is in.</summary>
public static class LeadStatuses
{
    public const string Open = "open";
    public const string Won = "won";
    public const string Lost = "lost";
}

/// <summary>One stay of a lead in a stage: what stage stats (conversion, time in stage) are computed from.</summary>
public sealed class LeadStageVisit : ITenantOwned
{
    public long Id { get; set; }
    public required string TenantId { get; set; }
    public Guid LeadId { get; set; }
    public Guid PipelineId { get; set; }
    public required string Stage { get; set; }
    public DateTimeOffset EnteredAt { get; set; }
    public DateTimeOffset? LeftAt { get; set; }
}
