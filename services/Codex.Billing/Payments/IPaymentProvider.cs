namespace Codex.Billing.Payments;

/// <summary>What Billing asks of a payment provider: collect an invoice's amount from a customer, once per idempotency key.</summary>
public interface IPaymentProvider
{
    Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// A charge of <c>Amount</c> in <c>Currency</c> for an invoice. <c>IdempotencyKey</c> names the invoice and attempt: a
/// provider that saw it before answers the same result without charging again.
/// </summary>
public sealed record PaymentRequest(string TenantId, Guid InvoiceId, Guid CustomerId, decimal Amount, string Currency, string IdempotencyKey);

public sealed record PaymentResult(bool Succeeded, string? Reference, string? FailureReason)
{
    public static PaymentResult Success(string reference) => new(true, reference, null);

    public static PaymentResult Failure(string reason) => new(false, null, reason);
}
