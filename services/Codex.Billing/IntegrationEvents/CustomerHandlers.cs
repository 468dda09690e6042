using Codex.Billing.Infrastructure;
using Codex.Billing.Model;
using Codex.Contracts;
using Codex.Messaging.Consumer;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Billing.IntegrationEvents;

/// <summary>
/// Keeps Billing's copy of each tenant's CRM customers: a subscription names a customer, and Billing checks it here
/// rather than calling CRM on every write. Each handler runs in the inbox's transaction, so a redelivery is a no-op.
/// </summary>
public sealed class CustomerHandlers(BillingDbContext db, TenantContext tenant, TimeProvider clock) :
    IIntegrationEventHandler<CustomerCreated>, IIntegrationEventHandler<CustomerUpdated>,
    IIntegrationEventHandler<CustomerDeleted>, IIntegrationEventHandler<CustomerRestored>
{
    public Task HandleAsync(CustomerCreated @event, EventContext context, CancellationToken cancellationToken) =>
        UpsertAsync(@event.TenantId, @event.CustomerId, c => (c.Name, c.Email) = (@event.Name, @event.Email), @event.Name, cancellationToken);

    public Task HandleAsync(CustomerUpdated @event, EventContext context, CancellationToken cancellationToken) =>
        UpsertAsync(@event.TenantId, @event.CustomerId, c => c.Name = @event.Name, @event.Name, cancellationToken);

    public Task HandleAsync(CustomerDeleted @event, EventContext context, CancellationToken cancellationToken) =>
        UpdateAsync(@event.TenantId, @event.CustomerId, c => c.DeletedAt ??= clock.GetUtcNow(), cancellationToken);

    public Task HandleAsync(CustomerRestored @event, EventContext context, CancellationToken cancellationToken) =>
        UpdateAsync(@event.TenantId, @event.CustomerId, c => c.DeletedAt = null, cancellationToken);

    private async Task UpsertAsync(string tenantId, Guid id, Action<Customer> apply, string name, CancellationToken cancellationToken)
    {
        tenant.Set(tenantId);
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (customer is null)
        {
            customer = new Customer { Id = id, TenantId = tenantId, Name = name };
            db.Customers.Add(customer);
        }
        apply(customer);
        customer.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task UpdateAsync(string tenantId, Guid id, Action<Customer> apply, CancellationToken cancellationToken)
    {
        tenant.Set(tenantId);
        // A customer Billing never saw created (its events came before Billing was deployed) stays unknown here.
        if (await db.Customers.FirstOrDefaultAsync(c => c.Id == id, cancellationToken) is { } customer)
        {
            apply(customer);
            customer.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
