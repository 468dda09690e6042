namespace Codex.Billing.Contracts;

public sealed record BillingSettingsDto(decimal TaxRate, string InvoicePrefix, int DraftHours, IReadOnlyList<int> RetryDays, int CancelAfterDays);

public sealed record InvoiceDto(
    Guid Id, string? Number, string Status, Guid CustomerId, Guid SubscriptionId, string Currency,
    DateTimeOffset? UsageStart, DateTimeOffset? UsageEnd, DateTimeOffset? FixedStart, DateTimeOffset? FixedEnd,
    decimal Subtotal, decimal Discount, decimal TaxRate, decimal Tax, decimal CreditApplied, decimal Total,
    DateTimeOffset FinalizeAt, DateTimeOffset? IssuedAt, DateTimeOffset? PaidAt, DateTimeOffset? VoidedAt, int PaymentAttempts, DateTimeOffset? NextPaymentAt,
    IReadOnlyList<InvoiceLineDto> Lines);

public sealed record InvoiceLineDto(string Kind, string Description, string? Metric, decimal Quantity, decimal Amount, DateTimeOffset? PeriodStart, DateTimeOffset? PeriodEnd);

public sealed record PaymentDto(Guid Id, Guid InvoiceId, int Attempt, string Status, decimal Amount, string Currency, string? FailureReason, DateTimeOffset CreatedAt);

public sealed record DiscountRequest(decimal Percent);
