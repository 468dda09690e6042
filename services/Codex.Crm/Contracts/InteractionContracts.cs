using System.ComponentModel.DataAnnotations;

namespace Codex.Crm.Contracts;

/// <summary>Logs an email, call, meeting or note against a customer or a lead (one of the two).</summary>
public sealed record LogInteractionRequest(
    [property: Required] string Kind,
    Guid? CustomerId = null,
    Guid? LeadId = null,
    [property: StringLength(200)] string? Subject = null,
    [property: StringLength(10_000)] string? Body = null,
    DateTimeOffset? OccurredAt = null);

public sealed record InteractionDto(
    Guid Id, string Kind, Guid? CustomerId, Guid? LeadId, string? Subject, string? Body, DateTimeOffset OccurredAt, Guid? UserId, DateTimeOffset CreatedAt);

/// <summary>CRM's figures for one tenant, from its own tables: what Platform reconciles against.</summary>
public sealed record CrmSummary(
    int Customers, int Leads, int OpenLeads, IReadOnlyDictionary<string, decimal> OpenPipelineValue, int OpenProbabilityTotal, decimal? AverageProbability);
