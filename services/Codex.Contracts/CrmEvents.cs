namespace Codex.Contracts;

[EventType("crm.customer.created")]
public sealed record CustomerCreated(string TenantId, Guid CustomerId, string Name) : IIntegrationEvent;

[EventType("crm.lead.created")]
public sealed record LeadCreated(string TenantId, Guid LeadId, string Stage, decimal Value, int Probability) : IIntegrationEvent;

[EventType("crm.lead.stage_changed")]
public sealed record LeadStageChanged(string TenantId, Guid LeadId, string From, string To) : IIntegrationEvent;
