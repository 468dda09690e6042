using Codex.Contracts;
using Codex.Messaging.Consumer;

namespace Codex.Gateway.Access;

/// <summary>Evicts cached keys the moment Auth revokes one or Platform changes a tenant's standing.</summary>
public sealed class KeyCacheEviction(ApiKeyResolver keys) :
    IIntegrationEventHandler<ApiKeyRevoked>,
    IIntegrationEventHandler<TenantSuspended>,
    IIntegrationEventHandler<TenantReactivated>,
    IIntegrationEventHandler<TenantDeleted>
{
    public Task HandleAsync(ApiKeyRevoked @event, EventContext context, CancellationToken cancellationToken) => keys.EvictKeyAsync(@event.ApiKeyId);

    public Task HandleAsync(TenantSuspended @event, EventContext context, CancellationToken cancellationToken) => keys.EvictTenantAsync(@event.TenantId);

    public Task HandleAsync(TenantReactivated @event, EventContext context, CancellationToken cancellationToken) => keys.EvictTenantAsync(@event.TenantId);

    public Task HandleAsync(TenantDeleted @event, EventContext context, CancellationToken cancellationToken) => keys.EvictTenantAsync(@event.TenantId);
}
