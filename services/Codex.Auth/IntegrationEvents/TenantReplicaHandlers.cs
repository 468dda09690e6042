using Codex.Auth.Infrastructure;
using Codex.Auth.Model;
using Codex.Auth.Services;
using Codex.Contracts;
using Codex.Messaging.Consumer;

namespace Codex.Auth.IntegrationEvents;

/// <summary>Keeps Auth's tenants replica in step with Platform's <c>platform.tenant.*</c> events.</summary>
public sealed class TenantReplicaHandlers(AuthDbContext db, TokenRevocation revocation, TimeProvider clock) :
    IIntegrationEventHandler<TenantCreated>,
    IIntegrationEventHandler<TenantUpdated>,
    IIntegrationEventHandler<TenantSuspended>,
    IIntegrationEventHandler<TenantReactivated>,
    IIntegrationEventHandler<TenantDeleted>
{
    public Task HandleAsync(TenantCreated @event, EventContext context, CancellationToken cancellationToken) =>
        Apply(@event.TenantId, t => { t.Name = @event.Name; t.Plan = @event.Plan; t.Status = TenantStatus.Active; }, @event.Name, cancellationToken);

    public Task HandleAsync(TenantUpdated @event, EventContext context, CancellationToken cancellationToken) =>
        Apply(@event.TenantId, t => { t.Name = @event.Name; t.Plan = @event.Plan; }, @event.Name, cancellationToken);

    // Each announcement repeats safely if the event is delivered again; its users' tokens stop within seconds.
    public async Task HandleAsync(TenantSuspended @event, EventContext context, CancellationToken cancellationToken)
    {
        await Apply(@event.TenantId, t => t.Status = TenantStatus.Suspended, @event.TenantId, cancellationToken);
        await revocation.TenantSuspendedAsync(@event.TenantId);
    }

    public async Task HandleAsync(TenantReactivated @event, EventContext context, CancellationToken cancellationToken)
    {
        await Apply(@event.TenantId, t => t.Status = TenantStatus.Active, @event.TenantId, cancellationToken);
        await revocation.TenantReactivatedAsync(@event.TenantId);
    }

    public async Task HandleAsync(TenantDeleted @event, EventContext context, CancellationToken cancellationToken)
    {
        await Apply(@event.TenantId, t => t.Status = TenantStatus.Deleted, @event.TenantId, cancellationToken);
        await revocation.TenantDeletedAsync(@event.TenantId);
    }

    // Upsert: a replica that missed the creation (or was restored from backup) still converges.
    private async Task Apply(string tenantId, Action<Tenant> change, string nameIfNew, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.FindAsync([tenantId], cancellationToken);
        if (tenant is null)
        {
            tenant = new Tenant { Id = tenantId, Name = nameIfNew };
            db.Tenants.Add(tenant);
        }
        change(tenant);
        tenant.UpdatedAt = clock.GetUtcNow();
    }
}
