using System.ComponentModel.DataAnnotations;

namespace Codex.Crm.Contracts;

/// <summary><c>POST /leads</c>: pipeline defaults to the tenant's default one, stage to its first stage, probability to the stage's.</summary>
public sealed record CreateLeadRequest(
    [property: Required, StringLength(200, MinimumLength = 1)] string Title,
    [property: Required] string Currency,
    decimal Value = 0,
    int? Probability = null,
    Guid? PipelineId = null,
    [property: StringLength(50)] string? Stage = null,
    string? ExpectedCloseDate = null,
    Guid? AssignedTo = null,
    Guid? CustomerId = null,
    [property: StringLength(200)] string? ContactName = null,
    [property: EmailAddress, StringLength(320)] string? ContactEmail = null,
    [property: StringLength(200)] string? Company = null,
    [property: StringLength(50)] string? Source = null);

/// <summary><c>PUT /leads/{id}</c>: everything but the pipeline and stage (those move through <c>/stage</c>).</summary>
public sealed record UpdateLeadRequest(
    [property: Required, StringLength(200, MinimumLength = 1)] string Title,
    [property: Required] string Currency,
    decimal Value,
    int Probability,
    string? ExpectedCloseDate = null,
    Guid? AssignedTo = null,
    Guid? CustomerId = null,
    [property: StringLength(200)] string? ContactName = null,
    [property: EmailAddress, StringLength(320)] string? ContactEmail = null,
    [property: StringLength(200)] string? Company = null,
    [property: StringLength(50)] string? Source = null);

public sealed record MoveLeadRequest([property: Required, StringLength(50)] string Stage, [property: StringLength(500)] string? LostReason = null);

/// <summary>Convert into a new customer made from the lead's contact, or link to an existing one.</summary>
public sealed record ConvertLeadRequest(Guid? CustomerId = null);

public sealed record LeadDto(
    Guid Id, string Title, string? ContactName, string? ContactEmail, string? Company, string? Source,
    Guid PipelineId, string Stage, string Status, decimal Value, string Currency, int Probability, DateOnly? ExpectedCloseDate,
    Guid? AssignedTo, string? LostReason, Guid? CustomerId, DateTimeOffset? ConvertedAt, DateTimeOffset StageEnteredAt,
    DateTimeOffset? ClosedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record ConvertedLead(LeadDto Lead, CustomerDto Customer);

public sealed record LeadQuery(Guid? PipelineId, string? Stage, string? Status, Guid? AssignedTo, Guid? CustomerId, string? Search, string? Cursor, int Limit);
