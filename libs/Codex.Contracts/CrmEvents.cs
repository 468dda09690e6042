namespace Codex.Contracts;

// Lead events carry the lead's value, currency, probability and status (open, won, lost) as they are
// after the change, and what changed from, so a consumer keeps pipeline figures from the events alone.

[EventType("crm.customer.created")]
public sealed record CustomerCreated(string TenantId, Guid CustomerId, string Name, string? Email = null, string? Source = null) : IIntegrationEvent;

[EventType("crm.customer.updated")]
public sealed record CustomerUpdated(string TenantId, Guid CustomerId, string Name, string Status) : IIntegrationEvent;

[EventType("crm.customer.deleted")]
public sealed record CustomerDeleted(string TenantId, Guid CustomerId) : IIntegrationEvent;

[EventType("crm.customer.restored")]
public sealed record CustomerRestored(string TenantId, Guid CustomerId) : IIntegrationEvent;

[EventType("crm.lead.created")]
public sealed record LeadCreated(
    string TenantId, Guid LeadId, Guid PipelineId, string Stage, string Status, decimal Value, string Currency, int Probability) : IIntegrationEvent;

[EventType("crm.lead.updated")]
public sealed record LeadUpdated(
    string TenantId, Guid LeadId, string Status, decimal Value, string Currency, int Probability,
    decimal PreviousValue, string PreviousCurrency, int PreviousProbability) : IIntegrationEvent;

[EventType("crm.lead.stage_changed")]
public sealed record LeadStageChanged(
    string TenantId, Guid LeadId, Guid PipelineId, string From, string To, string PreviousStatus, string Status,
    decimal Value, string Currency, int Probability) : IIntegrationEvent;

[EventType("crm.lead.won")]
public sealed record LeadWon(string TenantId, Guid LeadId, decimal Value, string Currency) : IIntegrationEvent;

[EventType("crm.lead.lost")]
public sealed record LeadLost(string TenantId, Guid LeadId, string Reason, decimal Value, string Currency) : IIntegrationEvent;

[EventType("crm.lead.deleted")]
public sealed record LeadDeleted(string TenantId, Guid LeadId, string Status, decimal Value, string Currency, int Probability) : IIntegrationEvent;

[EventType("crm.lead.converted")]
public sealed record LeadConverted(string TenantId, Guid LeadId, Guid CustomerId) : IIntegrationEvent;

[EventType("crm.interaction.logged")]
public sealed record InteractionLogged(string TenantId, Guid InteractionId, string Kind, Guid? CustomerId, Guid? LeadId, Guid? UserId) : IIntegrationEvent;
