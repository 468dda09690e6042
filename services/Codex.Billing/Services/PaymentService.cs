using Codex.Billing.Infrastructure;
using Codex.Billing.Model;
using Codex.Billing.Payments;
using Codex.Contracts;
using Codex.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Codex.Billing.Services;

/// <summary>
/// Collects open invoices and runs dunning: a failed attempt is retried after each of the tenant's retry waits; when
/// the last retry fails the subscription is past due, and if the invoice is still unpaid when the grace runs out the
/// subscription is cancelled and the invoice written off (<see cref="SubscriptionLifecycle"/> does that last step).
/// </summary>
public sealed class PaymentService(BillingDbContext db, SettingsService settings, IPaymentProvider provider, IEventOutbox outbox, BillingClock clock)
{
    /// <summary>One attempt on an invoice whose attempt is due; false when none was (paid, not due, or another replica has it).</summary>
    public Task<bool> AttemptAsync(Guid invoiceId, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            var now = clock.Now;
            // The row stays locked across the provider call: one attempt at a time, and the idempotency key covers a retried transaction.
            var invoice = await db.Invoices.FromSql($"SELECT * FROM invoices WHERE id = {invoiceId} FOR UPDATE SKIP LOCKED").FirstOrDefaultAsync(ct);
            if (invoice is not { Status: InvoiceStatuses.Open, NextPaymentAt: { } due } || due > now)
            {
                return false;
            }
            var attempt = invoice.PaymentAttempts + 1;
            var result = await provider.ChargeAsync(
                new PaymentRequest(invoice.TenantId, invoice.Id, invoice.CustomerId, invoice.Total, invoice.Currency, $"{invoice.Id:N}-{attempt}"), ct);
            var payment = new Payment
            {
                Id = Guid.CreateVersion7(), TenantId = invoice.TenantId, InvoiceId = invoice.Id, Attempt = attempt,
                Status = result.Succeeded ? PaymentStatuses.Succeeded : PaymentStatuses.Failed, Amount = invoice.Total, Currency = invoice.Currency,
                ProviderReference = result.Reference, FailureReason = result.FailureReason, CreatedAt = now,
            };
            db.Payments.Add(payment);
            invoice.PaymentAttempts = attempt;
            invoice.UpdatedAt = now;
            var subscription = await db.Subscriptions.FirstAsync(s => s.Id == invoice.SubscriptionId, ct);
            var events = new List<IIntegrationEvent>();
            if (result.Succeeded)
            {
                invoice.Status = InvoiceStatuses.Paid;
                invoice.PaidAt = now;
                invoice.NextPaymentAt = null;
                events.Add(new PaymentSucceeded(invoice.TenantId, payment.Id, invoice.Id, attempt, invoice.Total, invoice.Currency));
                events.Add(new InvoicePaid(invoice.TenantId, invoice.Id, invoice.Total, invoice.Currency, now));
                if (subscription.Status == SubscriptionStatuses.PastDue
                    && !await db.Invoices.AnyAsync(i => i.SubscriptionId == subscription.Id && i.Id != invoice.Id && i.Status == InvoiceStatuses.Open && i.NextPaymentAt == null, ct))
                {
                    subscription.Status = SubscriptionStatuses.Active;
                    subscription.CancelUnpaidAt = null;
                    subscription.UpdatedAt = now;
                    events.Add(new SubscriptionReactivated(subscription.TenantId, subscription.Id, subscription.CustomerId, invoice.Id));
                }
            }
            else
            {
                var rules = await settings.CurrentAsync(ct);
                // Attempt 1 is the charge itself; attempts 2.. are the retries, one per configured wait.
                DateTimeOffset? next = attempt <= rules.RetryDays.Count ? now.AddDays(rules.RetryDays[attempt - 1]) : null;
                invoice.NextPaymentAt = next;
                events.Add(new PaymentFailed(invoice.TenantId, payment.Id, invoice.Id, attempt, invoice.Total, invoice.Currency, result.FailureReason ?? "declined", next));
                if (next is null && SubscriptionStatuses.IsLive(subscription.Status))
                {
                    var cancelAt = now.AddDays(rules.CancelAfterDays);
                    if (subscription.Status != SubscriptionStatuses.PastDue)
                    {
                        subscription.Status = SubscriptionStatuses.PastDue;
                        subscription.CancelUnpaidAt = cancelAt;
                        subscription.UpdatedAt = now;
                        events.Add(new SubscriptionPastDue(subscription.TenantId, subscription.Id, subscription.CustomerId, invoice.Id, cancelAt));
                    }
                }
            }
            await outbox.SaveChangesAsync(events, ct);
            return true;
        }, cancellationToken);
}
