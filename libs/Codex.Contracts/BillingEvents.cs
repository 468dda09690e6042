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

/// <summary>A subscription has ended by itself: cancelled at period end and reached it (<c>period_end</c>), or unpaid after dunning (<c>unpaid</c>).</summary>
[EventType("billing.subscription.ended")]
public sealed record SubscriptionEnded(
    string TenantId, Guid SubscriptionId, Guid CustomerId, string PreviousStatus, DateTimeOffset EndedAt, string Reason, decimal MrrDelta, string Currency) : IIntegrationEvent;

/// <summary>Dunning's retries are spent: the subscription runs on, past due, until <c>CancelAt</c> unless the invoice is paid.</summary>
[EventType("billing.subscription.past_due")]
public sealed record SubscriptionPastDue(string TenantId, Guid SubscriptionId, Guid CustomerId, Guid InvoiceId, DateTimeOffset CancelAt) : IIntegrationEvent;

/// <summary>A past-due subscription's invoice was paid: it is active again.</summary>
[EventType("billing.subscription.reactivated")]
public sealed record SubscriptionReactivated(string TenantId, Guid SubscriptionId, Guid CustomerId, Guid InvoiceId) : IIntegrationEvent;

/// <summary>What a subscription allows now (after it was created, changed plan or ended: an ended one allows nothing).</summary>
[EventType("billing.entitlements.changed")]
public sealed record EntitlementsChanged(
    string TenantId, Guid SubscriptionId, Guid CustomerId, string? PlanCode, IReadOnlyDictionary<string, long> Limits,
    IReadOnlyDictionary<string, bool> Features) : IIntegrationEvent;

[EventType("billing.credit_note.issued")]
public sealed record CreditNoteIssued(string TenantId, Guid CreditNoteId, Guid CustomerId, Guid SubscriptionId, string Reason, decimal Amount, string Currency) : IIntegrationEvent;

// Invoice events carry the invoice's total (Amount) and currency, so a consumer keeps open and paid totals from them.

/// <summary>A draft became an invoice: numbered, final, and due (<c>Status</c> is paid at once when nothing is owed).</summary>
[EventType("billing.invoice.issued")]
public sealed record InvoiceIssued(
    string TenantId, Guid InvoiceId, decimal Amount, string Currency, Guid CustomerId = default, Guid SubscriptionId = default, string? Number = null,
    string Status = "open") : IIntegrationEvent;

[EventType("billing.invoice.paid")]
public sealed record InvoicePaid(string TenantId, Guid InvoiceId, decimal Amount, string Currency, DateTimeOffset PaidAt) : IIntegrationEvent;

[EventType("billing.invoice.voided")]
public sealed record InvoiceVoided(string TenantId, Guid InvoiceId, decimal Amount, string Currency) : IIntegrationEvent;

/// <summary>Written off: dunning gave up (or an admin did).</summary>
[EventType("billing.invoice.uncollectible")]
public sealed record InvoiceUncollectible(string TenantId, Guid InvoiceId, decimal Amount, string Currency) : IIntegrationEvent;

[EventType("billing.payment.succeeded")]
public sealed record PaymentSucceeded(string TenantId, Guid PaymentId, Guid InvoiceId, int Attempt, decimal Amount, string Currency) : IIntegrationEvent;

/// <summary>A payment attempt failed; <c>NextAttemptAt</c> is the retry dunning scheduled (none after the last).</summary>
[EventType("billing.payment.failed")]
public sealed record PaymentFailed(
    string TenantId, Guid PaymentId, Guid InvoiceId, int Attempt, decimal Amount, string Currency, string Reason, DateTimeOffset? NextAttemptAt) : IIntegrationEvent;
