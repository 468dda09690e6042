using Codex.Billing.Contracts;
using Codex.Billing.Infrastructure;
using Codex.Billing.Model;
using Codex.Billing.Pricing;
using Codex.Contracts;
using Codex.Messaging.Outbox;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Billing.Services;

/// <summary>
/// Subscriptions of a tenant's customers: start (with the plan's trial), change plan (prorated to the day, a credit
/// note for the unused part), cancel at period end or at once. Every change is one transaction with its events.
/// </summary>
public sealed class SubscriptionService(BillingDbContext db, TenantContext tenant, PlanService plans, InvoiceService invoices, IEventOutbox outbox, BillingClock clock)
{
    public const int MaxLimit = 100;

    public async Task<SubscriptionDto> CreateAsync(SubscriptionRequest request, CancellationToken cancellationToken)
    {
        var now = clock.Now;
        var start = request.StartAt?.ToUniversalTime() ?? now;
        if (start > now.AddMinutes(1) || start < now.AddYears(-1))
        {
            throw new ValidationException("startAt", "startAt is now or up to a year ago (a subscription cannot start in the future).");
        }
        if (!await db.Customers.AnyAsync(c => c.Id == request.CustomerId && c.DeletedAt == null, cancellationToken))
        {
            throw new ValidationException("customerId",
                $"No customer '{request.CustomerId}' in this tenant's CRM (a customer created a moment ago reaches billing within seconds).");
        }
        var (plan, version) = await plans.CurrentAsync(request.PlanCode, cancellationToken);
        var trialEnd = version.TrialDays > 0 ? start.AddDays(version.TrialDays) : (DateTimeOffset?)null;
        var subscription = new Subscription
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenant.RequiredTenantId,
            CustomerId = request.CustomerId,
            PlanId = plan.Id,
            PlanVersionId = version.Id,
            PlanVersion = version,
            Status = trialEnd > now ? SubscriptionStatuses.Trialing : SubscriptionStatuses.Active,
            StartedAt = start,
            TrialEndsAt = trialEnd,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var period = subscription.PeriodContaining(now);
        (subscription.CurrentPeriodStart, subscription.CurrentPeriodEnd) = (period.Start, period.End);
        subscription.DiscountPercent = ValidDiscount(request.DiscountPercent ?? 0);
        db.Subscriptions.Add(subscription);
        if (subscription.Status == SubscriptionStatuses.Active)
        {
            // The first period's fixed charge, in advance; a trial's first invoice comes when it ends.
            await invoices.DraftAsync(subscription, null, period, version.Amount, cancellationToken);
        }
        await outbox.SaveChangesAsync(
        [
            new SubscriptionCreated(subscription.TenantId, subscription.Id, subscription.CustomerId, plan.Code, version.Version, subscription.Status,
                period.Start, period.End, trialEnd, Mrr(subscription), version.Currency),
            Entitlements(subscription, plan.Code),
        ], cancellationToken);
        return subscription.ToDto(plan.Code);
    }

    public async Task<SubscriptionDto> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var subscription = await Query().AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken) ?? throw NotFound(id);
        return subscription.ToDto(await PlanCodeAsync(subscription.PlanId, cancellationToken));
    }

    public async Task<KeysetPage<SubscriptionDto>> ListAsync(Guid? customerId, string? status, string? cursor, int limit, CancellationToken cancellationToken)
    {
        Paging.ValidateLimit(limit, MaxLimit);
        if (status is not null && !SubscriptionStatuses.All.Contains(status))
        {
            throw new ValidationException("status", $"status is one of {string.Join(", ", SubscriptionStatuses.All)}.");
        }
        var query = Query().AsNoTracking();
        if (customerId is { } customer)
        {
            query = query.Where(s => s.CustomerId == customer);
        }
        if (status is not null)
        {
            query = query.Where(s => s.Status == status);
        }
        if (KeysetCursor.Decode(cursor) is { Id: var after })
        {
            query = query.Where(s => s.Id < after);
        }
        var rows = await query.OrderByDescending(s => s.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var codes = await db.Plans.AsNoTracking().Where(p => rows.Select(r => r.PlanId).Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Code, cancellationToken);
        return KeysetCursor.Page(rows, limit, s => new KeysetCursor(null, s.Id), s => s.ToDto(codes[s.PlanId]));
    }

    /// <summary>
    /// Moves the subscription to the current version of <paramref name="request"/>'s plan now. In a paid period the old
    /// terms' unused days become a credit note and the new terms' remaining days a charge for the next invoice; a change
    /// to another interval starts a new period (anchored now), charged whole.
    /// </summary>
    public Task<SubscriptionChangeDto> ChangePlanAsync(Guid id, PlanChangeRequest request, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            var subscription = await LockAsync(id, ct);
            EnsureLive(subscription);
            var now = clock.Now;
            var old = subscription.PlanVersion;
            var oldCode = await PlanCodeAsync(subscription.PlanId, ct);
            var (plan, version) = await plans.CurrentAsync(request.PlanCode, ct);
            if (version.Id == old.Id)
            {
                throw new ConflictException($"The subscription is on version {version.Version} of '{plan.Code}' already.", "plan_unchanged");
            }
            if (version.Currency != old.Currency)
            {
                throw new ValidationException("planCode", $"'{plan.Code}' bills in {version.Currency}; this subscription bills in {old.Currency}. Cancel it and subscribe anew.");
            }
            var mrrBefore = Mrr(subscription);
            var period = subscription.CurrentPeriod;
            var sameCycle = version.Interval == old.Interval && version.IntervalCount == old.IntervalCount;
            var inTrial = subscription.InTrial(now);
            var remaining = Proration.DaysRemaining(period, now);
            var credit = inTrial ? 0 : Proration.Share(old.Amount, remaining, period, old.Currency);
            decimal charge;
            subscription.PlanId = plan.Id;
            subscription.PlanVersionId = version.Id;
            subscription.PlanVersion = version;
            if (sameCycle)
            {
                charge = inTrial ? 0 : Proration.Share(version.Amount, remaining, period, version.Currency);
            }
            else
            {
                subscription.StartedAt = now;
                var fresh = subscription.PeriodContaining(now);
                (subscription.CurrentPeriodStart, subscription.CurrentPeriodEnd) = (fresh.Start, fresh.End);
                charge = inTrial ? 0 : version.Amount;
            }
            subscription.UpdatedAt = now;
            var change = Record(subscription, SubscriptionChangeKinds.PlanChanged, old, version, now, period, remaining, credit, charge);
            var events = new List<IIntegrationEvent>
            {
                new SubscriptionPlanChanged(subscription.TenantId, subscription.Id, subscription.CustomerId, oldCode, old.Version, plan.Code, version.Version,
                    credit, charge, Mrr(subscription) - mrrBefore, version.Currency),
                Entitlements(subscription, plan.Code),
            };
            IssueCreditNote(subscription, change, SubscriptionChangeKinds.PlanChanged, events);
            await outbox.SaveChangesAsync(events, ct);
            return change.ToDto(oldCode, old.Version, plan.Code, version.Version);
        }, cancellationToken);

    /// <summary>
    /// At period end: the subscription runs to the end of the paid period, then ends (the renewal job ends it). At once:
    /// it ends now, and the unused days of a paid period become a credit note.
    /// </summary>
    public Task<SubscriptionDto> CancelAsync(Guid id, CancelRequest request, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            var subscription = await LockAsync(id, ct);
            EnsureLive(subscription);
            var now = clock.Now;
            var code = await PlanCodeAsync(subscription.PlanId, ct);
            var version = subscription.PlanVersion;
            var events = new List<IIntegrationEvent>();
            subscription.CancelledAt = now;
            subscription.UpdatedAt = now;
            if (request.AtPeriodEnd)
            {
                if (subscription.CancelAtPeriodEnd)
                {
                    return subscription.ToDto(code);   // asked twice: the same answer, no second event
                }
                subscription.CancelAtPeriodEnd = true;
                events.Add(new SubscriptionCancelled(subscription.TenantId, subscription.Id, subscription.CustomerId, subscription.Status, true, null,
                    subscription.CurrentPeriodEnd, 0, 0, version.Currency));
            }
            else
            {
                var mrrBefore = Mrr(subscription);
                var previous = subscription.Status;
                var period = subscription.CurrentPeriod;
                var remaining = Proration.DaysRemaining(period, now);
                var credit = subscription.InTrial(now) ? 0 : Proration.Share(version.Amount, remaining, period, version.Currency);
                subscription.Status = SubscriptionStatuses.Cancelled;
                subscription.EndedAt = now;
                var change = Record(subscription, SubscriptionChangeKinds.Cancelled, version, null, now, period, remaining, credit, 0);
                // The last invoice: the usage so far and any plan-change charge not yet invoiced.
                await invoices.DraftAsync(subscription, new BillingPeriod(period.Start, now), null, 0, ct);
                events.Add(new SubscriptionCancelled(subscription.TenantId, subscription.Id, subscription.CustomerId, previous, false, now, null,
                    credit, -mrrBefore, version.Currency));
                events.Add(Entitlements(subscription, null));
                IssueCreditNote(subscription, change, SubscriptionChangeKinds.Cancelled, events);
            }
            await outbox.SaveChangesAsync(events, ct);
            return subscription.ToDto(code);
        }, cancellationToken);

    /// <summary>A discount on the subscription's invoices from now on (drafts not yet finalized take it too).</summary>
    public Task<SubscriptionDto> SetDiscountAsync(Guid id, DiscountRequest request, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            var subscription = await LockAsync(id, ct);
            EnsureLive(subscription);
            subscription.DiscountPercent = ValidDiscount(request.Percent);
            subscription.UpdatedAt = clock.Now;
            await db.SaveChangesAsync(ct);
            return subscription.ToDto(await PlanCodeAsync(subscription.PlanId, ct));
        }, cancellationToken);

    private static decimal ValidDiscount(decimal percent) => percent is >= 0 and <= 100 && decimal.Round(percent, 2) == percent
        ? percent
        : throw new ValidationException("discountPercent", "A discount is 0 to 100 percent, with up to 2 decimal places.");

    public async Task<IReadOnlyList<SubscriptionChangeDto>> ChangesAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await db.Subscriptions.AnyAsync(s => s.Id == id, cancellationToken))
        {
            throw NotFound(id);
        }
        var changes = await db.SubscriptionChanges.AsNoTracking().Where(c => c.SubscriptionId == id).OrderBy(c => c.EffectiveAt).ThenBy(c => c.Id).ToListAsync(cancellationToken);
        var versionIds = changes.Select(c => c.FromVersionId).Concat(changes.Where(c => c.ToVersionId != null).Select(c => c.ToVersionId!.Value)).Distinct().ToList();
        var versions = await db.PlanVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id))
            .Join(db.Plans.AsNoTracking(), v => v.PlanId, p => p.Id, (v, p) => new { v.Id, p.Code, v.Version })
            .ToDictionaryAsync(v => v.Id, v => (v.Code, v.Version), cancellationToken);
        return changes.Select(c =>
        {
            var from = versions[c.FromVersionId];
            (string Code, int Version)? to = c.ToVersionId is { } t ? versions[t] : null;
            return c.ToDto(from.Code, from.Version, to?.Code, to?.Version);
        }).ToList();
    }

    public async Task<IReadOnlyList<CreditNoteDto>> CreditNotesAsync(Guid? customerId, CancellationToken cancellationToken)
    {
        var notes = db.CreditNotes.AsNoTracking();
        if (customerId is { } customer)
        {
            notes = notes.Where(n => n.CustomerId == customer);
        }
        return (await notes.OrderByDescending(n => n.Id).Take(MaxLimit).ToListAsync(cancellationToken)).Select(n => n.ToDto()).ToList();
    }

    /// <summary>The MRR a subscription counts for: its monthly fixed charge while active or past due, else nothing.</summary>
    internal static decimal Mrr(Subscription subscription) =>
        subscription.Status is SubscriptionStatuses.Active or SubscriptionStatuses.PastDue ? subscription.PlanVersion.MonthlyAmount : 0;

    internal static EntitlementsChanged Entitlements(Subscription subscription, string? planCode) =>
        SubscriptionStatuses.IsLive(subscription.Status)
            ? new(subscription.TenantId, subscription.Id, subscription.CustomerId, planCode,
                subscription.PlanVersion.Entitlements.Limits, subscription.PlanVersion.Entitlements.Features)
            : new(subscription.TenantId, subscription.Id, subscription.CustomerId, null, new Dictionary<string, long>(), new Dictionary<string, bool>());

    private IQueryable<Subscription> Query() => db.Subscriptions.Include(s => s.PlanVersion);

    /// <summary>The subscription, its row locked to this transaction: changes to one subscription go one at a time.</summary>
    private async Task<Subscription> LockAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Subscriptions.FromSql($"SELECT * FROM subscriptions WHERE id = {id} FOR UPDATE").Include(s => s.PlanVersion)
            .FirstOrDefaultAsync(cancellationToken) ?? throw NotFound(id);

    private static void EnsureLive(Subscription subscription)
    {
        if (!SubscriptionStatuses.IsLive(subscription.Status))
        {
            throw new ConflictException($"Subscription '{subscription.Id}' is cancelled.", "subscription_cancelled");
        }
    }

    private Task<string> PlanCodeAsync(Guid planId, CancellationToken cancellationToken) =>
        db.Plans.Where(p => p.Id == planId).Select(p => p.Code).FirstAsync(cancellationToken);

    private SubscriptionChange Record(Subscription subscription, string kind, PlanVersion from, PlanVersion? to, DateTimeOffset now,
        BillingPeriod period, int remaining, decimal credit, decimal charge)
    {
        var change = new SubscriptionChange
        {
            Id = Guid.CreateVersion7(),
            TenantId = subscription.TenantId,
            SubscriptionId = subscription.Id,
            Kind = kind,
            FromVersionId = from.Id,
            ToVersionId = to?.Id,
            EffectiveAt = now,
            PeriodStart = period.Start,
            PeriodEnd = period.End,
            DaysRemaining = remaining,
            DaysInPeriod = period.Days,
            CreditAmount = credit,
            ChargeAmount = charge,
            Currency = from.Currency,
        };
        db.SubscriptionChanges.Add(change);
        return change;
    }

    private void IssueCreditNote(Subscription subscription, SubscriptionChange change, string reason, List<IIntegrationEvent> events)
    {
        if (change.CreditAmount <= 0)
        {
            return;
        }
        var note = new CreditNote
        {
            Id = Guid.CreateVersion7(),
            TenantId = subscription.TenantId,
            CustomerId = subscription.CustomerId,
            SubscriptionId = subscription.Id,
            Reason = reason,
            Amount = change.CreditAmount,
            Remaining = change.CreditAmount,
            Currency = change.Currency,
            CreatedAt = change.EffectiveAt,
        };
        db.CreditNotes.Add(note);
        change.CreditNoteId = note.Id;
        events.Add(new CreditNoteIssued(note.TenantId, note.Id, note.CustomerId, note.SubscriptionId, reason, note.Amount, note.Currency));
    }

    private static NotFoundException NotFound(Guid id) => new($"Subscription '{id}' was not found.", "subscription_not_found");
}

internal static class SubscriptionMapping
{
    public static SubscriptionDto ToDto(this Subscription s, string planCode) => new(
        s.Id, s.CustomerId, planCode, s.PlanVersion.Version, s.Status, s.StartedAt, s.TrialEndsAt, s.CurrentPeriodStart, s.CurrentPeriodEnd,
        s.CancelAtPeriodEnd, s.CancelledAt, s.EndedAt, s.PlanVersion.Amount, s.PlanVersion.Currency, s.PlanVersion.Interval, s.PlanVersion.IntervalCount,
        s.PlanVersion.Entitlements.ToDto(), s.DiscountPercent, s.CreatedAt);

    public static SubscriptionChangeDto ToDto(this SubscriptionChange c, string? fromCode, int? fromVersion, string? toCode, int? toVersion) => new(
        c.Id, c.Kind, fromCode, fromVersion, toCode, toVersion, c.EffectiveAt, c.PeriodStart, c.PeriodEnd, c.DaysRemaining, c.DaysInPeriod,
        c.CreditAmount, c.ChargeAmount, c.Currency, c.CreditNoteId);

    public static CreditNoteDto ToDto(this CreditNote n) => new(n.Id, n.CustomerId, n.SubscriptionId, n.Reason, n.Amount, n.Remaining, n.Currency, n.CreatedAt);
}
