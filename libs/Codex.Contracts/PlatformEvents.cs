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

/// <summary>Platform-wide events name the platform tenant (<c>_platform</c>), like superadmins do.</summary>
[EventType("platform.client.created")]
public sealed record ClientCreated(string TenantId, Guid ClientId, string Name) : IIntegrationEvent;

[EventType("platform.client.updated")]
public sealed record ClientUpdated(string TenantId, Guid ClientId, string Name) : IIntegrationEvent;

[EventType("platform.client.deleted")]
public sealed record ClientDeleted(string TenantId, Guid ClientId) : IIntegrationEvent;

[EventType("platform.config.changed")]
public sealed record ConfigChanged(string TenantId, string Key, System.Text.Json.JsonElement? Value, bool Deleted) : IIntegrationEvent;
