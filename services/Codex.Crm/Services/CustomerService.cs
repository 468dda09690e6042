using Codex.Contracts;
using Codex.Crm.Contracts;
using Codex.Crm.Infrastructure;
using Codex.Crm.Model;
using Codex.Messaging.Outbox;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Crm.Services;

/// <summary>A tenant's customers: create, read, update, soft delete and restore, search and filter.</summary>
public sealed class CustomerService(CrmDbContext db, TenantContext tenant, IEventOutbox outbox, TimeProvider clock)
{
    /// <summary>The largest page any CRM list answers.</summary>
    public const int MaxLimit = 100;

    public async Task<CustomerDto> CreateAsync(CustomerRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var customer = new Customer { Id = Guid.CreateVersion7(), TenantId = tenant.RequiredTenantId, Name = "", CreatedAt = now, UpdatedAt = now };
        var errors = new FieldErrors();
        CustomerRules.Apply(request, customer, errors);
        errors.ThrowIfAny();
        await EnsureEmailFreeAsync(customer.Email, null, cancellationToken);
        db.Customers.Add(customer);
        await SaveAsync([new CustomerCreated(customer.TenantId, customer.Id, customer.Name, customer.Email, customer.Source)], cancellationToken);
        return customer.ToDto();
    }

    public async Task<CustomerDto> GetAsync(Guid id, CancellationToken cancellationToken) =>
        (await FindAsync(id, cancellationToken)).ToDto();

    public async Task<CustomerDto> UpdateAsync(Guid id, CustomerRequest request, CancellationToken cancellationToken)
    {
        var customer = await FindAsync(id, cancellationToken);
        var errors = new FieldErrors();
        CustomerRules.Apply(request, customer, errors);
        errors.ThrowIfAny();
        await EnsureEmailFreeAsync(customer.Email, customer.Id, cancellationToken);
        customer.UpdatedAt = clock.GetUtcNow();
        await SaveAsync([new CustomerUpdated(customer.TenantId, customer.Id, customer.Name, customer.Status)], cancellationToken);
        return customer.ToDto();
    }

    /// <summary>Moves a customer to the trash: hidden from lists and lookups until restored.</summary>
    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var customer = await FindAsync(id, cancellationToken);
        customer.DeletedAt = clock.GetUtcNow();
        customer.UpdatedAt = customer.DeletedAt.Value;
        await SaveAsync([new CustomerDeleted(customer.TenantId, customer.Id)], cancellationToken);
    }

    public async Task<CustomerDto> RestoreAsync(Guid id, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.IgnoreQueryFilters([CrmDbContext.LiveFilter]).FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw NotFound(id);
        if (customer.DeletedAt is null)
        {
            return customer.ToDto();   // restoring a live customer is a no-op, so a retried restore is safe
        }
        await EnsureEmailFreeAsync(customer.Email, customer.Id, cancellationToken);
        customer.DeletedAt = null;
        customer.UpdatedAt = clock.GetUtcNow();
        await SaveAsync([new CustomerRestored(customer.TenantId, customer.Id)], cancellationToken);
        return customer.ToDto();
    }

    public async Task<KeysetPage<CustomerDto>> ListAsync(CustomerQuery query, CancellationToken cancellationToken)
    {
        Paging.ValidateLimit(query.Limit, MaxLimit);
        var cursor = KeysetCursor.Decode(query.Cursor);
        var customers = Filtered(query);
        if (cursor is { Id: var after })
        {
            customers = customers.Where(c => c.Id < after);
        }
        var rows = await customers.OrderByDescending(c => c.Id).Take(query.Limit + 1).ToListAsync(cancellationToken);
        return KeysetCursor.Page(rows, query.Limit, c => new KeysetCursor(null, c.Id), c => c.ToDto());
    }

    /// <summary>The customers <paramref name="query"/> selects (cursor and limit aside), newest first, streamed.</summary>
    public IAsyncEnumerable<Customer> StreamAsync(CustomerQuery query) =>
        Filtered(query).OrderByDescending(c => c.Id).AsAsyncEnumerable();

    private IQueryable<Customer> Filtered(CustomerQuery query)
    {
        var customers = query.Deleted
            ? db.Customers.IgnoreQueryFilters([CrmDbContext.LiveFilter]).Where(c => c.DeletedAt != null)
            : db.Customers;
        customers = customers.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            if (query.Search.Trim().Length > 200)
            {
                throw new ValidationException("search", "search is up to 200 characters.");
            }
            var pattern = LikePattern.Containing(query.Search.ToLowerInvariant());
            customers = customers.Where(c => EF.Functions.Like(c.SearchText, pattern));
        }
        if (!string.IsNullOrWhiteSpace(query.Status))
        {
            var status = query.Status.Trim().ToLowerInvariant();
            if (!CustomerStatuses.All.Contains(status))
            {
                throw new ValidationException("status", $"status is one of {string.Join(", ", CustomerStatuses.All)}.");
            }
            customers = customers.Where(c => c.Status == status);
        }
        if (!string.IsNullOrWhiteSpace(query.Source))
        {
            var source = query.Source.Trim().ToLowerInvariant();
            customers = customers.Where(c => c.Source == source);
        }
        if (!string.IsNullOrWhiteSpace(query.Tag))
        {
            var tag = query.Tag.Trim().ToLowerInvariant();
            customers = customers.Where(c => c.Tags.Contains(tag));
        }
        return customers;
    }

    internal async Task<Customer> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Customers.FirstOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw NotFound(id);

    internal async Task EnsureEmailFreeAsync(string? email, Guid? self, CancellationToken cancellationToken)
    {
        if (email is not null && await db.Customers.AnyAsync(c => c.Email == email && c.Id != self, cancellationToken))
        {
            throw new ConflictException($"Another customer of this tenant already has the email '{email}'.", "duplicate_email");
        }
    }

    /// <summary>Saves with the events; a concurrent duplicate email surfaces as the same 409 as a checked one.</summary>
    internal async Task SaveAsync(IEnumerable<IIntegrationEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            await outbox.SaveChangesAsync(events, cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new ConflictException("Another customer of this tenant already has this email.", "duplicate_email");
        }
    }

    internal static NotFoundException NotFound(Guid id) => new($"Customer '{id}' was not found.", "customer_not_found");
}
