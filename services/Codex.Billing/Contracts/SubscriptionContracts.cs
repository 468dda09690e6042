using System.ComponentModel.DataAnnotations;

namespace Codex.Billing.Contracts;

/// <summary>A subscription starts now unless <c>startAt</c> names another instant (its periods are anchored there).</summary>
public sealed record SubscriptionRequest(
    Guid CustomerId, [property: Required, StringLength(64)] string PlanCode, DateTimeOffset? StartAt = null, decimal? DiscountPercent = null);

public sealed record PlanChangeRequest([property: Required, StringLength(64)] string PlanCode);

public sealed record CancelRequest(bool AtPeriodEnd = true);

public sealed record SubscriptionDto(
    Guid Id, Guid CustomerId, string PlanCode, int PlanVersion, string Status, DateTimeOffset StartedAt, DateTimeOffset? TrialEndsAt,
    DateTimeOffset CurrentPeriodStart, DateTimeOffset CurrentPeriodEnd, bool CancelAtPeriodEnd, DateTimeOffset? CancelledAt, DateTimeOffset? EndedAt,
    decimal Amount, string Currency, string Interval, int IntervalCount, EntitlementsDto Entitlements, decimal DiscountPercent, DateTimeOffset CreatedAt);

/// <summary>A change inside a paid period: the credit for the old terms' unused days and the charge for the new terms' days.</summary>
public sealed record SubscriptionChangeDto(
    Guid Id, string Kind, string? FromPlanCode, int? FromPlanVersion, string? ToPlanCode, int? ToPlanVersion, DateTimeOffset EffectiveAt,
    DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, int DaysRemaining, int DaysInPeriod, decimal CreditAmount, decimal ChargeAmount,
    string Currency, Guid? CreditNoteId);

public sealed record CreditNoteDto(Guid Id, Guid CustomerId, Guid SubscriptionId, string Reason, decimal Amount, decimal Remaining, string Currency, DateTimeOffset CreatedAt);
