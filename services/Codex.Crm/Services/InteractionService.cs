using Codex.Contracts;
using Codex.Crm.Contracts;
using Codex.Crm.Infrastructure;
using Codex.Crm.Model;
using Codex.Messaging.Outbox;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Crm.Services;

/// <summary>Emails, calls, meetings and notes, and the timelines they make: newest first, keyset-paged.</summary>
public sealed class InteractionService(
    CrmDbContext db, TenantContext tenant, CustomerService customers, LeadService leads, IEventOutbox outbox, TimeProvider clock)
{
    public async Task<InteractionDto> LogAsync(LogInteractionRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var kind = request.Kind?.Trim().ToLowerInvariant() ?? "";
        errors.AddIf(!InteractionKinds.All.Contains(kind), "kind", $"kind is one of {string.Join(", ", InteractionKinds.All)}.");
        errors.AddIf(request.CustomerId is null && request.LeadId is null, "customerId", "An interaction is logged against a customerId or a leadId.");
        errors.ThrowIfAny();
        if (request.CustomerId is { } customerId)
        {
            await customers.FindAsync(customerId, cancellationToken);
        }
        if (request.LeadId is { } leadId)
        {
            await leads.FindAsync(leadId, cancellationToken);
        }
        var now = clock.GetUtcNow();
        var interaction = new Interaction
        {
            Id = Guid.CreateVersion7(), TenantId = tenant.RequiredTenantId, Kind = kind, CustomerId = request.CustomerId, LeadId = request.LeadId,
            Subject = Fields.Text(request.Subject), Body = request.Body, OccurredAt = request.OccurredAt ?? now, UserId = tenant.UserId, CreatedAt = now,
        };
        db.Interactions.Add(interaction);
        await outbox.SaveChangesAsync(
            [new InteractionLogged(interaction.TenantId, interaction.Id, kind, interaction.CustomerId, interaction.LeadId, interaction.UserId)], cancellationToken);
        return ToDto(interaction);
    }

    public async Task<InteractionDto> GetAsync(Guid id, CancellationToken cancellationToken) =>
        ToDto(await db.Interactions.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken)
              ?? throw new NotFoundException($"Interaction '{id}' was not found.", "interaction_not_found"));

    /// <summary>A customer's timeline: what was logged against it and against its leads.</summary>
    public async Task<KeysetPage<InteractionDto>> CustomerTimelineAsync(Guid customerId, string? cursor, int limit, CancellationToken cancellationToken)
    {
        await customers.FindAsync(customerId, cancellationToken);
        var leadIds = db.Leads.IgnoreQueryFilters([CrmDbContext.LiveFilter]).Where(l => l.CustomerId == customerId).Select(l => (Guid?)l.Id);
        return await PageAsync(db.Interactions.Where(i => i.CustomerId == customerId || leadIds.Contains(i.LeadId)), cursor, limit, cancellationToken);
    }

    public async Task<KeysetPage<InteractionDto>> LeadTimelineAsync(Guid leadId, string? cursor, int limit, CancellationToken cancellationToken)
    {
        await leads.FindAsync(leadId, cancellationToken);
        return await PageAsync(db.Interactions.Where(i => i.LeadId == leadId), cursor, limit, cancellationToken);
    }

    private static async Task<KeysetPage<InteractionDto>> PageAsync(IQueryable<Interaction> interactions, string? cursor, int limit, CancellationToken cancellationToken)
    {
        Paging.ValidateLimit(limit, CustomerService.MaxLimit);
        if (KeysetCursor.Decode(cursor) is { At: { } at, Id: var id })
        {
            interactions = interactions.Where(i => i.OccurredAt < at || (i.OccurredAt == at && i.Id < id));
        }
        var rows = await interactions.AsNoTracking().OrderByDescending(i => i.OccurredAt).ThenByDescending(i => i.Id).Take(limit + 1).ToListAsync(cancellationToken);
        return KeysetCursor.Page(rows, limit, i => new KeysetCursor(i.OccurredAt, i.Id), ToDto);
    }

    private static InteractionDto ToDto(Interaction i) =>
        new(i.Id, i.Kind, i.CustomerId, i.LeadId, i.Subject, i.Body, i.OccurredAt, i.UserId, i.CreatedAt);
}
