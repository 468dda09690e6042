using Codex.Billing.Infrastructure;
using Codex.Billing.Model;
using Codex.Billing.Pricing;
using Codex.Contracts;
using Codex.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Codex.Billing.Services;

/// <summary>
/// Moves one subscription through time: a trial that has ended makes it active (its first invoice bills the period's
/// rest); a period that has ended renews it (an invoice for the ended period's usage and the new period's fixed charge)
/// or ends it, when it was cancelled at period end (a last invoice for the usage); a past-due subscription whose grace
/// has run out is cancelled and its unpaid invoices written off. Periods missed while Billing was down are caught up one by one.
/// </summary>
public sealed class SubscriptionLifecycle(BillingDbContext db, InvoiceService invoices, IEventOutbox outbox, BillingClock clock)
{
    /// <summary>Brings the subscription up to now; false when nothing was due (another replica took it, or it is current).</summary>
    public Task<bool> AdvanceAsync(Guid id, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            var now = clock.Now;
            // SKIP LOCKED: a replica already advancing it (or a plan change holding it) is left to finish.
            var subscription = await db.Subscriptions.FromSql($"SELECT * FROM subscriptions WHERE id = {id} FOR UPDATE SKIP LOCKED")
                .Include(s => s.PlanVersion).FirstOrDefaultAsync(ct);
            if (subscription is null || !SubscriptionStatuses.IsLive(subscription.Status))
            {
                return false;
            }
            var events = new List<IIntegrationEvent>();
            var currency = subscription.PlanVersion.Currency;
            while (SubscriptionStatuses.IsLive(subscription.Status))
            {
                // Whichever is due first: the trial's end or the period's.
                var periodDue = subscription.CurrentPeriodEnd <= now;
                if (subscription.Status == SubscriptionStatuses.Trialing && subscription.TrialEndsAt is { } trialEnd && trialEnd <= now
                    && (!periodDue || trialEnd < subscription.CurrentPeriodEnd))
                {
                    subscription.Status = SubscriptionStatuses.Active;
                    events.Add(new SubscriptionTrialEnded(subscription.TenantId, subscription.Id, subscription.CustomerId, SubscriptionService.Mrr(subscription), currency));
                    var period = subscription.CurrentPeriod;
                    var rest = Proration.Share(subscription.PlanVersion.Amount, Proration.DaysRemaining(period, trialEnd), period, currency);
                    await invoices.DraftAsync(subscription, null, period, rest, ct);
                }
                else if (subscription.Status == SubscriptionStatuses.PastDue && subscription.CancelUnpaidAt is { } cancelAt && cancelAt <= now)
                {
                    var mrr = SubscriptionService.Mrr(subscription);
                    subscription.Status = SubscriptionStatuses.Cancelled;
                    subscription.EndedAt = cancelAt;
                    events.Add(new SubscriptionEnded(subscription.TenantId, subscription.Id, subscription.CustomerId, SubscriptionStatuses.PastDue, cancelAt, "unpaid", -mrr, currency));
                    events.Add(SubscriptionService.Entitlements(subscription, null));
                    foreach (var unpaid in await db.Invoices.Where(i => i.SubscriptionId == subscription.Id && i.Status == InvoiceStatuses.Open).ToListAsync(ct))
                    {
                        InvoiceService.WriteOff(unpaid, now, out var written);
                        events.Add(written);
                    }
                }
                else if (periodDue && subscription.CancelAtPeriodEnd)
                {
                    var mrr = SubscriptionService.Mrr(subscription);
                    var previous = subscription.Status;
                    subscription.Status = SubscriptionStatuses.Cancelled;
                    subscription.EndedAt = subscription.CurrentPeriodEnd;
                    events.Add(new SubscriptionEnded(subscription.TenantId, subscription.Id, subscription.CustomerId, previous, subscription.CurrentPeriodEnd, "period_end", -mrr, currency));
                    events.Add(SubscriptionService.Entitlements(subscription, null));
                    await invoices.DraftAsync(subscription, subscription.CurrentPeriod, null, 0, ct);
                }
                else if (periodDue)
                {
                    var ended = subscription.CurrentPeriod;
                    var next = subscription.PeriodContaining(subscription.CurrentPeriodEnd);
                    (subscription.CurrentPeriodStart, subscription.CurrentPeriodEnd) = (next.Start, next.End);
                    events.Add(new SubscriptionRenewed(subscription.TenantId, subscription.Id, subscription.CustomerId, next.Start, next.End));
                    var inTrial = subscription.InTrial(next.Start);
                    await invoices.DraftAsync(subscription, ended, inTrial ? null : next, inTrial ? 0 : subscription.PlanVersion.Amount, ct);
                }
                else
                {
                    break;
                }
            }
            if (events.Count == 0)
            {
                return false;
            }
            subscription.UpdatedAt = now;
            await outbox.SaveChangesAsync(events, ct);
            return true;
        }, cancellationToken);
}
