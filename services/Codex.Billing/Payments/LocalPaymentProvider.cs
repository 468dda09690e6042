using System.Collections.Concurrent;

namespace Codex.Billing.Payments;

/// <summary>
/// The provider that runs here, for development and tests: every charge succeeds unless outcomes were queued for the
/// customer (<see cref="QueueOutcomes"/>), which are used one per attempt, in order. A repeated idempotency key gets the
/// first answer again, as a real provider's would.
/// </summary>
public sealed class LocalPaymentProvider : IPaymentProvider
{
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<bool>> _outcomes = new();
    private readonly ConcurrentDictionary<string, PaymentResult> _answered = new();

    /// <summary>The next attempts for <paramref name="customerId"/>: true succeeds, false is declined.</summary>
    public void QueueOutcomes(Guid customerId, params bool[] outcomes)
    {
        var queue = _outcomes.GetOrAdd(customerId, _ => new ConcurrentQueue<bool>());
        foreach (var outcome in outcomes)
        {
            queue.Enqueue(outcome);
        }
    }

    public Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(_answered.GetOrAdd(request.IdempotencyKey, _ =>
        {
            var succeeds = !_outcomes.TryGetValue(request.CustomerId, out var queue) || !queue.TryDequeue(out var outcome) || outcome;
            return succeeds ? PaymentResult.Success($"local_{Guid.NewGuid():N}") : PaymentResult.Failure("card_declined");
        }));
}
