namespace Codex.Contracts;

// Subscription events carry the change in monthly recurring revenue they cause (MrrDelta, in Currency): MRR counts
// active and past-due subscriptions' fixed charges as monthly figures (trials and cancelled ones are not revenue), so a
// consumer keeps MRR per currency from the events alone.

[EventType("billing.subscription.created")]
public sealed record SubscriptionCreated(
    string TenantId, Guid SubscriptionId, Guid CustomerId, string PlanCode, int PlanVersion, string Status,
    DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, DateTimeOffset? TrialEndsAt, decimal MrrDelta, string Currency) : IIntegrationEvent;

[EventType("billing.subscription.plan_changed")]
public sealed record SubscriptionPlanChanged(
    string TenantId, Guid SubscriptionId, Guid CustomerId, string FromPlanCode, int FromPlanVersion, string PlanCode, int PlanVersion,
    decimal CreditAmount, decimal ChargeAmount, decimal MrrDelta, string Currency) : IIntegrationEvent;

[EventType("billing.subscription.trial_ended")]
public sealed record SubscriptionTrialEnded(string TenantId, Guid SubscriptionId, Guid CustomerId, decimal MrrDelta, string Currency) : IIntegrationEvent;

[EventType("billing.subscription.renewed")]
public sealed record SubscriptionRenewed(string TenantId, Guid SubscriptionId, Guid CustomerId, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd) : IIntegrationEvent;

/// <summary>Cancellation asked for: at once (<c>EndedAt</c> set) or at the end of the period (<c>EndsAt</c>).</summary>
[EventType("billing.subscription.cancelled")]
public sealed record SubscriptionCancelled(
    string TenantId, Guid SubscriptionId, Guid CustomerId, string PreviousStatus, bool AtPeriodEnd, DateTimeOffset? EndedAt, DateTimeOffset? EndsAt,
    decimal CreditAmount, decimal MrrDelta, string Currency) : IIntegrationEvent;

/// <summary>A subscription cancelled at period end has reached it.</summary>
[EventType("billing.subscription.ended")]
public sealed record SubscriptionEnded(string TenantId, Guid SubscriptionId, Guid CustomerId, string PreviousStatus, DateTimeOffset EndedAt, decimal MrrDelta, string Currency) : IIntegrationEvent;

/// <summary>What a subscription allows now (after it was created, changed plan or ended: an ended one allows nothing).</summary>
[EventType("billing.entitlements.changed")]
public sealed record EntitlementsChanged(
    string TenantId, Guid SubscriptionId, Guid CustomerId, string? PlanCode, IReadOnlyDictionary<string, long> Limits,
    IReadOnlyDictionary<string, bool> Features) : IIntegrationEvent;

[EventType("billing.credit_note.issued")]
public sealed record CreditNoteIssued(string TenantId, Guid CreditNoteId, Guid CustomerId, Guid SubscriptionId, string Reason, decimal Amount, string Currency) : IIntegrationEvent;

[EventType("billing.invoice.issued")]
public sealed record InvoiceIssued(string TenantId, Guid InvoiceId, decimal Amount, string Currency) : IIntegrationEvent;

[EventType("billing.invoice.paid")]
public sealed record InvoicePaid(string TenantId, Guid InvoiceId, decimal Amount, string Currency, DateTimeOffset PaidAt) : IIntegrationEvent;
