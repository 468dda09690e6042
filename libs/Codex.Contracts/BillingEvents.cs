namespace Codex.Contracts;

[EventType("billing.invoice.issued")]
public sealed record InvoiceIssued(string TenantId, Guid InvoiceId, decimal Amount, string Currency) : IIntegrationEvent;

[EventType("billing.invoice.paid")]
public sealed record InvoicePaid(string TenantId, Guid InvoiceId, decimal Amount, string Currency, DateTimeOffset PaidAt) : IIntegrationEvent;
