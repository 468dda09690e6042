using Codex.Contracts;
using Codex.Crm.Services;
using Codex.Messaging.Consumer;
using Codex.Security.Tenancy;

namespace Codex.Crm.IntegrationEvents;

/// <summary>Seeds a new tenant's default pipeline, so its first lead has somewhere to go.</summary>
public sealed class TenantCreatedHandler(TenantContext tenant, PipelineService pipelines) : IIntegrationEventHandler<TenantCreated>
{
    public Task HandleAsync(TenantCreated @event, EventContext context, CancellationToken cancellationToken)
    {
        tenant.Set(@event.TenantId);
        return pipelines.EnsureDefaultAsync(cancellationToken);
    }
}
