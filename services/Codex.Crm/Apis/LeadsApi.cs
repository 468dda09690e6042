using Codex.Crm.Contracts;
using Codex.Crm.Services;
using Codex.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Crm.Apis;

public static class LeadsApi
{
    public static RouteGroupBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/crm/leads").WithTags("Leads");
        api.MapGet("/", ListLeads).RequirePermission("crm.leads.read").WithName("ListLeads")
            .WithSummary("Leads newest first, keyset-paged; filter by pipeline, stage, status, assignee, customer; search title, company, email.");
        api.MapPost("/", CreateLead).RequirePermission("crm.leads.write").WithName("CreateLead");
        api.MapGet("/{id:guid}", GetLead).RequirePermission("crm.leads.read").WithName("GetLead");
        api.MapPut("/{id:guid}", UpdateLead).RequirePermission("crm.leads.write").WithName("UpdateLead").WithSummary("Replace every field but pipeline and stage.");
        api.MapDelete("/{id:guid}", DeleteLead).RequirePermission("crm.leads.write").WithName("DeleteLead");
        api.MapPost("/{id:guid}/stage", MoveLead).RequirePermission("crm.leads.write").WithName("MoveLead")
            .WithSummary("Move to another stage of the lead's pipeline; won and lost close it (lost needs a lostReason).");
        api.MapPost("/{id:guid}/convert", ConvertLead).RequirePermission("crm.leads.write").WithName("ConvertLead")
            .WithSummary("Make the lead a customer's: a new customer from its contact, or the customerId given.");
        api.MapGet("/{id:guid}/timeline", LeadTimeline).RequirePermission("crm.interactions.read").WithName("LeadTimeline");
        return api;
    }

    public static async Task<Ok<KeysetPage<LeadDto>>> ListLeads([AsParameters] LeadListParameters query, LeadService leads, CancellationToken cancellationToken) =>
        TypedResults.Ok(await leads.ListAsync(query.ToQuery(), cancellationToken));

    public static async Task<Created<LeadDto>> CreateLead(CreateLeadRequest request, LeadService leads, CancellationToken cancellationToken)
    {
        var lead = await leads.CreateAsync(request, cancellationToken);
        return TypedResults.Created($"/api/v1/crm/leads/{lead.Id}", lead);
    }

    public static async Task<Ok<LeadDto>> GetLead(Guid id, LeadService leads, CancellationToken cancellationToken) =>
        TypedResults.Ok(await leads.GetAsync(id, cancellationToken));

    public static async Task<Ok<LeadDto>> UpdateLead(Guid id, UpdateLeadRequest request, LeadService leads, CancellationToken cancellationToken) =>
        TypedResults.Ok(await leads.UpdateAsync(id, request, cancellationToken));

    public static async Task<NoContent> DeleteLead(Guid id, LeadService leads, CancellationToken cancellationToken)
    {
        await leads.DeleteAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<LeadDto>> MoveLead(Guid id, MoveLeadRequest request, LeadService leads, CancellationToken cancellationToken) =>
        TypedResults.Ok(await leads.MoveAsync(id, request, cancellationToken));

    public static async Task<Ok<ConvertedLead>> ConvertLead(Guid id, ConvertLeadRequest? request, LeadService leads, CancellationToken cancellationToken) =>
        TypedResults.Ok(await leads.ConvertAsync(id, request ?? new ConvertLeadRequest(), cancellationToken));

    public static async Task<Ok<KeysetPage<InteractionDto>>> LeadTimeline(
        Guid id, InteractionService interactions, CancellationToken cancellationToken, string? cursor = null, int limit = 20) =>
        TypedResults.Ok(await interactions.LeadTimelineAsync(id, cursor, limit, cancellationToken));
}

public sealed record LeadListParameters(Guid? PipelineId, string? Stage, string? Status, Guid? AssignedTo, Guid? CustomerId, string? Search, string? Cursor, int? Limit)
{
    public LeadQuery ToQuery() => new(PipelineId, Stage, Status, AssignedTo, CustomerId, Search, Cursor, Limit ?? 20);
}
