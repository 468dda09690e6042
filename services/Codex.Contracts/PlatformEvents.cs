namespace Codex.Contracts;

[EventType("platform.tenant.created")]
public sealed record TenantCreated(string TenantId, string Name, string ClientId, string Plan) : IIntegrationEvent;

[EventType("platform.tenant.updated")]
public sealed record TenantUpdated(string TenantId, string Name, string Plan) : IIntegrationEvent;

[EventType("platform.tenant.suspended")]
public sealed record TenantSuspended(string TenantId, string Reason) : IIntegrationEvent;

[EventType("platform.tenant.reactivated")]
public sealed record TenantReactivated(string TenantId) : IIntegrationEvent;

[EventType("platform.tenant.deleted")]
public sealed record TenantDeleted(string TenantId) : IIntegrationEvent;
