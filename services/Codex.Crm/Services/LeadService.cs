using Codex.Contracts;
using Codex.Crm.Contracts;
using Codex.Crm.Infrastructure;
using Codex.Crm.Model;
using Codex.Messaging.Outbox;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Crm.Services;

/// <summary>
/// Leads: create, update, delete, list; stage moves checked against the lead's pipeline (a lost
/// reason when lost; a closed lead only reopens into an open stage); conversion into a customer.
/// </summary>
public sealed class LeadService(
    CrmDbContext db, TenantContext tenant, PipelineService pipelines, CustomerService customers, TenantUsers users, IEventOutbox outbox, TimeProvider clock)
{
    public async Task<LeadDto> CreateAsync(CreateLeadRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var currency = LeadRules.Currency(request.Currency, request.Value, errors);
        LeadRules.Probability(request.Probability, errors);
        var closeDate = LeadRules.CloseDate(request.ExpectedCloseDate, errors);
        var source = Fields.Code(request.Source, "source", errors);
        var pipeline = request.PipelineId is { } pipelineId ? await pipelines.FindAsync(pipelineId, cancellationToken) : await pipelines.DefaultAsync(cancellationToken);
        var stage = request.Stage is { Length: > 0 } key ? pipeline.StageNamed(key.Trim()) : pipeline.OrderedStages().First(s => s.Kind == LeadStatuses.Open);
        if (stage is null)
        {
            errors.Add("stage", UnknownStage(request.Stage!, pipeline));
        }
        else if (stage.Kind != LeadStatuses.Open)
        {
            errors.Add("stage", "A lead starts in an open stage; move it to won or lost afterwards.");
        }
        await CheckAssigneeAsync(request.AssignedTo, errors, cancellationToken);
        errors.ThrowIfAny();
        await EnsureCustomerAsync(request.CustomerId, cancellationToken);

        var now = clock.GetUtcNow();
        var lead = new Lead
        {
            Id = Guid.CreateVersion7(), TenantId = tenant.RequiredTenantId, Title = request.Title.Trim(), ContactName = Fields.Text(request.ContactName),
            ContactEmail = Fields.Text(request.ContactEmail)?.ToLowerInvariant(), Company = Fields.Text(request.Company), Source = source,
            PipelineId = pipeline.Id, Stage = stage!.Key, Status = LeadStatuses.Open, Value = request.Value, Currency = currency,
            Probability = request.Probability ?? stage.Probability, ExpectedCloseDate = closeDate, AssignedTo = request.AssignedTo,
            CustomerId = request.CustomerId, StageEnteredAt = now, CreatedAt = now, UpdatedAt = now,
        };
        db.Leads.Add(lead);
        db.StageVisits.Add(new LeadStageVisit { TenantId = lead.TenantId, LeadId = lead.Id, PipelineId = lead.PipelineId, Stage = lead.Stage, EnteredAt = now });
        await outbox.SaveChangesAsync(
            [new LeadCreated(lead.TenantId, lead.Id, lead.PipelineId, lead.Stage, lead.Status, lead.Value, lead.Currency, lead.Probability)], cancellationToken);
        return lead.ToDto();
    }

    public async Task<LeadDto> GetAsync(Guid id, CancellationToken cancellationToken) => (await FindAsync(id, cancellationToken)).ToDto();

    public async Task<LeadDto> UpdateAsync(Guid id, UpdateLeadRequest request, CancellationToken cancellationToken)
    {
        var lead = await FindAsync(id, cancellationToken);
        var errors = new FieldErrors();
        var currency = LeadRules.Currency(request.Currency, request.Value, errors);
        LeadRules.Probability(request.Probability, errors);
        var closeDate = LeadRules.CloseDate(request.ExpectedCloseDate, errors);
        var source = Fields.Code(request.Source, "source", errors);
        if (request.AssignedTo != lead.AssignedTo)
        {
            await CheckAssigneeAsync(request.AssignedTo, errors, cancellationToken);
        }
        errors.ThrowIfAny();
        if (request.CustomerId != lead.CustomerId)
        {
            await EnsureCustomerAsync(request.CustomerId, cancellationToken);
        }

        var (previousValue, previousCurrency, previousProbability) = (lead.Value, lead.Currency, lead.Probability);
        lead.Title = request.Title.Trim();
        lead.ContactName = Fields.Text(request.ContactName);
        lead.ContactEmail = Fields.Text(request.ContactEmail)?.ToLowerInvariant();
        lead.Company = Fields.Text(request.Company);
        lead.Source = source;
        lead.Value = request.Value;
        lead.Currency = currency;
        lead.Probability = request.Probability;
        lead.ExpectedCloseDate = closeDate;
        lead.AssignedTo = request.AssignedTo;
        lead.CustomerId = request.CustomerId;
        lead.UpdatedAt = clock.GetUtcNow();
        await outbox.SaveChangesAsync(
            [new LeadUpdated(lead.TenantId, lead.Id, lead.Status, lead.Value, lead.Currency, lead.Probability, previousValue, previousCurrency, previousProbability)],
            cancellationToken);
        return lead.ToDto();
    }

    /// <summary>Moves a lead to another stage of its pipeline; entering the won or lost stage closes it.</summary>
    public async Task<LeadDto> MoveAsync(Guid id, MoveLeadRequest request, CancellationToken cancellationToken)
    {
        var lead = await FindAsync(id, cancellationToken);
        var pipeline = await pipelines.FindAsync(lead.PipelineId, cancellationToken);
        var target = pipeline.StageNamed(request.Stage.Trim()) ?? throw new ValidationException("stage", UnknownStage(request.Stage, pipeline));
        if (target.Key == lead.Stage)
        {
            return lead.ToDto();   // already there: a retried move changes nothing
        }
        var reason = Fields.Text(request.LostReason);
        if (target.Kind == LeadStatuses.Lost && reason is null)
        {
            throw new ValidationException("lostReason", "A lost lead needs a lostReason.");
        }
        if (lead.Status != LeadStatuses.Open && target.Kind != LeadStatuses.Open)
        {
            throw new ConflictException($"The lead is {lead.Status}; reopen it into an open stage before closing it again.", "lead_closed");
        }

        var now = clock.GetUtcNow();
        var (from, previousStatus) = (lead.Stage, lead.Status);
        var visit = await db.StageVisits.Where(v => v.LeadId == lead.Id && v.LeftAt == null).FirstOrDefaultAsync(cancellationToken);
        visit?.LeftAt = now;
        db.StageVisits.Add(new LeadStageVisit { TenantId = lead.TenantId, LeadId = lead.Id, PipelineId = lead.PipelineId, Stage = target.Key, EnteredAt = now });
        lead.Stage = target.Key;
        lead.Status = target.Kind;
        lead.StageEnteredAt = now;
        lead.ClosedAt = target.Kind == LeadStatuses.Open ? null : now;
        lead.LostReason = target.Kind == LeadStatuses.Lost ? reason : null;
        lead.UpdatedAt = now;

        var events = new List<IIntegrationEvent>
        {
            new LeadStageChanged(lead.TenantId, lead.Id, lead.PipelineId, from, target.Key, previousStatus, lead.Status, lead.Value, lead.Currency, lead.Probability),
        };
        if (target.Kind == LeadStatuses.Won)
        {
            events.Add(new LeadWon(lead.TenantId, lead.Id, lead.Value, lead.Currency));
        }
        else if (target.Kind == LeadStatuses.Lost)
        {
            events.Add(new LeadLost(lead.TenantId, lead.Id, reason!, lead.Value, lead.Currency));
        }
        await outbox.SaveChangesAsync(events, cancellationToken);
        return lead.ToDto();
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var lead = await FindAsync(id, cancellationToken);
        lead.DeletedAt = clock.GetUtcNow();
        lead.UpdatedAt = lead.DeletedAt.Value;
        await outbox.SaveChangesAsync([new LeadDeleted(lead.TenantId, lead.Id, lead.Status, lead.Value, lead.Currency, lead.Probability)], cancellationToken);
    }

    /// <summary>Makes the lead a customer's: a new customer from the lead's contact, or the existing one named.</summary>
    public async Task<ConvertedLead> ConvertAsync(Guid id, ConvertLeadRequest request, CancellationToken cancellationToken)
    {
        var lead = await FindAsync(id, cancellationToken);
        if (lead.ConvertedAt is not null)
        {
            throw new ConflictException($"The lead was already converted into customer '{lead.CustomerId}'.", "lead_converted");
        }
        var events = new List<IIntegrationEvent>();
        Customer customer;
        if (request.CustomerId is { } customerId)
        {
            customer = await customers.FindAsync(customerId, cancellationToken);
        }
        else
        {
            var now = clock.GetUtcNow();
            customer = new Customer { Id = Guid.CreateVersion7(), TenantId = lead.TenantId, Name = "", CreatedAt = now, UpdatedAt = now };
            var errors = new FieldErrors();
            CustomerRules.Apply(new CustomerRequest(lead.ContactName ?? lead.Company ?? lead.Title, lead.ContactEmail, Company: lead.Company,
                Status: CustomerStatuses.Active, Source: lead.Source ?? "lead"), customer, errors);
            errors.ThrowIfAny();
            await customers.EnsureEmailFreeAsync(customer.Email, null, cancellationToken);
            db.Customers.Add(customer);
            events.Add(new CustomerCreated(customer.TenantId, customer.Id, customer.Name, customer.Email, customer.Source));
        }
        lead.CustomerId = customer.Id;
        lead.ConvertedAt = clock.GetUtcNow();
        lead.UpdatedAt = lead.ConvertedAt.Value;
        events.Add(new LeadConverted(lead.TenantId, lead.Id, customer.Id));
        await customers.SaveAsync(events, cancellationToken);
        return new ConvertedLead(lead.ToDto(), customer.ToDto());
    }

    public async Task<KeysetPage<LeadDto>> ListAsync(LeadQuery query, CancellationToken cancellationToken)
    {
        Paging.ValidateLimit(query.Limit, CustomerService.MaxLimit);
        var cursor = KeysetCursor.Decode(query.Cursor);
        var leads = db.Leads.AsNoTracking();
        if (query.PipelineId is { } pipelineId)
        {
            leads = leads.Where(l => l.PipelineId == pipelineId);
        }
        if (Fields.Text(query.Stage) is { } stage)
        {
            leads = leads.Where(l => l.Stage == stage);
        }
        if (Fields.Text(query.Status)?.ToLowerInvariant() is { } status)
        {
            if (status is not (LeadStatuses.Open or LeadStatuses.Won or LeadStatuses.Lost))
            {
                throw new ValidationException("status", "status is open, won or lost.");
            }
            leads = leads.Where(l => l.Status == status);
        }
        if (query.AssignedTo is { } assignee)
        {
            leads = leads.Where(l => l.AssignedTo == assignee);
        }
        if (query.CustomerId is { } customerId)
        {
            leads = leads.Where(l => l.CustomerId == customerId);
        }
        if (Fields.Text(query.Search) is { } search)
        {
            var pattern = LikePattern.Containing(search);
            leads = leads.Where(l => EF.Functions.ILike(l.Title, pattern) || EF.Functions.ILike(l.Company!, pattern) || EF.Functions.ILike(l.ContactEmail!, pattern));
        }
        if (cursor is { Id: var after })
        {
            leads = leads.Where(l => l.Id < after);
        }
        var rows = await leads.OrderByDescending(l => l.Id).Take(query.Limit + 1).ToListAsync(cancellationToken);
        return KeysetCursor.Page(rows, query.Limit, l => new KeysetCursor(null, l.Id), l => l.ToDto());
    }

    internal async Task<Lead> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Leads.FirstOrDefaultAsync(l => l.Id == id, cancellationToken) ?? throw new NotFoundException($"Lead '{id}' was not found.", "lead_not_found");

    private async Task CheckAssigneeAsync(Guid? assignee, FieldErrors errors, CancellationToken cancellationToken)
    {
        if (assignee is { } userId && !await users.IsActiveMemberAsync(tenant.RequiredTenantId, userId, cancellationToken))
        {
            errors.Add("assignedTo", "assignedTo is not an active user of this tenant.");
        }
    }

    private async Task EnsureCustomerAsync(Guid? customerId, CancellationToken cancellationToken)
    {
        if (customerId is { } id)
        {
            await customers.FindAsync(id, cancellationToken);
        }
    }

    private static string UnknownStage(string stage, Pipeline pipeline) =>
        $"'{stage}' is not a stage of pipeline '{pipeline.Name}'; its stages are {string.Join(", ", pipeline.OrderedStages().Select(s => s.Key))}.";
}
