using Codex.Billing.Contracts;
using Codex.Billing.Infrastructure;
using Codex.Billing.Model;
using Codex.Billing.Pricing;
using Codex.Contracts;
using Codex.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Codex.Billing.Services;

/// <summary>
/// Invoices: drafted by the subscription's lifecycle, composed from its charges, finalized (numbered without gaps) when
/// the draft window closes, then paid, voided or written off. Money is rounded to the currency on every line.
/// </summary>
public sealed class InvoiceService(BillingDbContext db, SettingsService settings, UsageService usage, IEventOutbox outbox, BillingClock clock)
{
    public const int MaxLimit = 100;

    /// <summary>
    /// Adds a draft for <paramref name="subscription"/> to the caller's transaction: the fixed charge of
    /// <paramref name="fixedPeriod"/> (<paramref name="fixedAmount"/>, in advance) and the usage of <paramref name="usagePeriod"/>.
    /// </summary>
    internal async Task<Invoice> DraftAsync(Subscription subscription, BillingPeriod? usagePeriod, BillingPeriod? fixedPeriod, decimal fixedAmount,
        CancellationToken cancellationToken)
    {
        var now = clock.Now;
        var rules = await settings.CurrentAsync(cancellationToken);
        var invoice = new Invoice
        {
            Id = Guid.CreateVersion7(),
            TenantId = subscription.TenantId,
            CustomerId = subscription.CustomerId,
            SubscriptionId = subscription.Id,
            Status = InvoiceStatuses.Draft,
            Currency = subscription.PlanVersion.Currency,
            UsageStart = usagePeriod?.Start,
            UsageEnd = usagePeriod?.End,
            FixedStart = fixedPeriod?.Start,
            FixedEnd = fixedPeriod?.End,
            FixedAmount = fixedAmount,
            PlanVersionId = subscription.PlanVersionId,
            FinalizeAt = now.AddHours(rules.DraftHours),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await ComposeAsync(invoice, subscription.PlanVersion, subscription.DiscountPercent, rules.TaxRate, cancellationToken);
        db.Invoices.Add(invoice);
        return invoice;
    }

    /// <summary>Finalizes a draft now (before its window closes); the scheduler does the same when it does.</summary>
    public async Task<InvoiceDto> FinalizeNowAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await FinalizeAsync(id, force: true, cancellationToken))
        {
            var invoice = await FindAsync(id, cancellationToken);
            throw new ConflictException($"Invoice '{id}' is {invoice.Status}, not a draft.", "invoice_not_draft");
        }
        return (await FindAsync(id, cancellationToken)).ToDto();
    }

    /// <summary>
    /// Recomposes the draft (late usage included), applies the customer's credit, takes the next number and opens it
    /// (or marks it paid when nothing is owed). False when it is not a draft or not yet due (unless <paramref name="force"/>).
    /// </summary>
    internal Task<bool> FinalizeAsync(Guid id, bool force, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            var invoice = await db.Invoices.FromSql($"SELECT * FROM invoices WHERE id = {id} FOR UPDATE").Include(i => i.Lines).FirstOrDefaultAsync(ct);
            var now = clock.Now;
            if (invoice is null || invoice.Status != InvoiceStatuses.Draft || (!force && invoice.FinalizeAt > now))
            {
                return false;
            }
            var subscription = await db.Subscriptions.FirstAsync(s => s.Id == invoice.SubscriptionId, ct);
            var version = await db.PlanVersions.FirstAsync(v => v.Id == invoice.PlanVersionId, ct);
            var rules = await settings.CurrentAsync(ct);
            db.InvoiceLines.RemoveRange(invoice.Lines);
            invoice.Lines = [];
            await ComposeAsync(invoice, version, subscription.DiscountPercent, rules.TaxRate, ct);
            await TakeProrationsAsync(invoice, subscription.DiscountPercent, ct);
            await ApplyCreditAsync(invoice, ct);
            invoice.Number = await NextNumberAsync(invoice.TenantId, ct);
            invoice.DisplayNumber = $"{rules.InvoicePrefix}-{invoice.Number:D6}";
            invoice.IssuedAt = now;
            invoice.UpdatedAt = now;
            var events = new List<IIntegrationEvent>();
            if (invoice.Total == 0)
            {
                invoice.Status = InvoiceStatuses.Paid;
                invoice.PaidAt = now;
                events.Add(Issued(invoice));
                events.Add(new InvoicePaid(invoice.TenantId, invoice.Id, 0, invoice.Currency, now));
            }
            else
            {
                invoice.Status = InvoiceStatuses.Open;
                invoice.NextPaymentAt = now;
                events.Add(Issued(invoice));
            }
            await outbox.SaveChangesAsync(events, ct);
            return true;
        }, cancellationToken);

    /// <summary>Cancels an open invoice: nothing is owed any more, and the credit it used is available again.</summary>
    public Task<InvoiceDto> VoidAsync(Guid id, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            var invoice = await LockOpenAsync(id, ct);
            var now = clock.Now;
            foreach (var line in invoice.Lines.Where(l => l.Kind == InvoiceLineKinds.Credit && l.CreditNoteId is not null))
            {
                var note = await db.CreditNotes.FirstAsync(n => n.Id == line.CreditNoteId, ct);
                note.Remaining -= line.Amount;   // the line is negative
            }
            invoice.Status = InvoiceStatuses.Void;
            invoice.VoidedAt = now;
            invoice.NextPaymentAt = null;
            invoice.UpdatedAt = now;
            await outbox.SaveChangesAsync([new InvoiceVoided(invoice.TenantId, invoice.Id, invoice.Total, invoice.Currency)], ct);
            return invoice.ToDto();
        }, cancellationToken);

    /// <summary>Collect an open invoice now (a customer who fixed their card): the scheduler's next pass attempts it.</summary>
    public Task<InvoiceDto> RetryPaymentAsync(Guid id, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            var invoice = await LockOpenAsync(id, ct);
            invoice.NextPaymentAt = clock.Now;
            invoice.UpdatedAt = clock.Now;
            await db.SaveChangesAsync(ct);
            return invoice.ToDto();
        }, cancellationToken);

    public Task<InvoiceDto> MarkUncollectibleAsync(Guid id, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            var invoice = await LockOpenAsync(id, ct);
            WriteOff(invoice, clock.Now, out var written);
            await outbox.SaveChangesAsync([written], ct);
            return invoice.ToDto();
        }, cancellationToken);

    internal static void WriteOff(Invoice invoice, DateTimeOffset now, out IIntegrationEvent written)
    {
        invoice.Status = InvoiceStatuses.Uncollectible;
        invoice.NextPaymentAt = null;
        invoice.UpdatedAt = now;
        written = new InvoiceUncollectible(invoice.TenantId, invoice.Id, invoice.Total, invoice.Currency);
    }

    public async Task<InvoiceDto> GetAsync(Guid id, CancellationToken cancellationToken) => (await FindAsync(id, cancellationToken)).ToDto();

    public async Task<KeysetPage<InvoiceDto>> ListAsync(Guid? customerId, Guid? subscriptionId, string? status, string? cursor, int limit, CancellationToken cancellationToken)
    {
        Paging.ValidateLimit(limit, MaxLimit);
        var invoices = db.Invoices.AsNoTracking().Include(i => i.Lines).AsQueryable();
        if (customerId is { } customer)
        {
            invoices = invoices.Where(i => i.CustomerId == customer);
        }
        if (subscriptionId is { } subscription)
        {
            invoices = invoices.Where(i => i.SubscriptionId == subscription);
        }
        if (status is not null)
        {
            invoices = invoices.Where(i => i.Status == status);
        }
        if (KeysetCursor.Decode(cursor) is { Id: var after })
        {
            invoices = invoices.Where(i => i.Id < after);
        }
        var rows = await invoices.OrderByDescending(i => i.Id).Take(limit + 1).AsSplitQuery().ToListAsync(cancellationToken);
        return KeysetCursor.Page(rows, limit, i => new KeysetCursor(null, i.Id), i => i.ToDto());
    }

    public async Task<IReadOnlyList<PaymentDto>> PaymentsAsync(Guid id, CancellationToken cancellationToken)
    {
        await FindAsync(id, cancellationToken);
        return (await db.Payments.AsNoTracking().Where(p => p.InvoiceId == id).OrderBy(p => p.Attempt).ToListAsync(cancellationToken))
            .Select(p => new PaymentDto(p.Id, p.InvoiceId, p.Attempt, p.Status, p.Amount, p.Currency, p.FailureReason, p.CreatedAt)).ToList();
    }

    internal async Task<Invoice> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Invoices.AsNoTracking().Include(i => i.Lines).FirstOrDefaultAsync(i => i.Id == id, cancellationToken)
            ?? throw new NotFoundException($"Invoice '{id}' was not found.", "invoice_not_found");

    /// <summary>Fixed, usage and discount and tax lines from the invoice's terms (credit comes at finalizing).</summary>
    private async Task ComposeAsync(Invoice invoice, PlanVersion version, decimal discountPercent, decimal taxRate, CancellationToken cancellationToken)
    {
        var currency = invoice.Currency;
        var lines = new List<InvoiceLine>();
        void Add(string kind, string description, decimal quantity, decimal amount, DateTimeOffset? start = null, DateTimeOffset? end = null, string? metric = null) =>
            lines.Add(new InvoiceLine
            {
                Id = Guid.CreateVersion7(), TenantId = invoice.TenantId, InvoiceId = invoice.Id, Position = lines.Count, Kind = kind, Description = description,
                Metric = metric, Quantity = quantity, Amount = Currencies.Round(amount, currency), PeriodStart = start, PeriodEnd = end,
            });

        if (invoice.FixedStart is { } fixedStart && invoice.FixedEnd is { } fixedEnd)
        {
            Add(InvoiceLineKinds.Fixed, $"{version.Name} (v{version.Version})", 1, invoice.FixedAmount, fixedStart, fixedEnd);
        }
        if (invoice.UsageStart is { } usageStart && invoice.UsageEnd is { } usageEnd)
        {
            var codes = version.Charges.Select(c => c.Metric).ToList();
            var metrics = await db.Metrics.AsNoTracking().Where(m => codes.Contains(m.Code)).ToDictionaryAsync(m => m.Code, cancellationToken);
            foreach (var charge in version.Charges)
            {
                var units = await usage.AggregateAsync(invoice.SubscriptionId, metrics[charge.Metric], new BillingPeriod(usageStart, usageEnd), cancellationToken);
                Add(InvoiceLineKinds.Usage, metrics[charge.Metric].Name, units, charge.Amount(units), usageStart, usageEnd, charge.Metric);
            }
        }
        invoice.Lines.AddRange(lines);
        Total(invoice, discountPercent, taxRate);
    }

    /// <summary>Plan-change charges not yet invoiced: they go on this invoice, once.</summary>
    private async Task TakeProrationsAsync(Invoice invoice, decimal discountPercent, CancellationToken cancellationToken)
    {
        var changes = await db.SubscriptionChanges.Where(c => c.SubscriptionId == invoice.SubscriptionId && c.InvoiceId == null && c.ChargeAmount > 0)
            .OrderBy(c => c.EffectiveAt).ToListAsync(cancellationToken);
        foreach (var change in changes)
        {
            change.InvoiceId = invoice.Id;
            invoice.Lines.Add(new InvoiceLine
            {
                Id = Guid.CreateVersion7(), TenantId = invoice.TenantId, InvoiceId = invoice.Id, Position = invoice.Lines.Count, Kind = InvoiceLineKinds.Proration,
                Description = $"Plan change on {change.EffectiveAt:yyyy-MM-dd}: {change.DaysRemaining} of {change.DaysInPeriod} days",
                Quantity = change.DaysRemaining, Amount = change.ChargeAmount, PeriodStart = change.EffectiveAt, PeriodEnd = change.PeriodEnd,
            });
        }
        Total(invoice, discountPercent, invoice.TaxRate);
    }

    /// <summary>The customer's available credit notes (oldest first, same currency) pay what they can of the total.</summary>
    private async Task ApplyCreditAsync(Invoice invoice, CancellationToken cancellationToken)
    {
        var notes = await db.CreditNotes.Where(n => n.CustomerId == invoice.CustomerId && n.Currency == invoice.Currency && n.Remaining > 0)
            .OrderBy(n => n.CreatedAt).ToListAsync(cancellationToken);
        foreach (var note in notes)
        {
            var due = invoice.Subtotal - invoice.Discount + invoice.Tax - invoice.CreditApplied;
            if (due <= 0)
            {
                break;
            }
            var used = Math.Min(due, note.Remaining);
            note.Remaining -= used;
            invoice.CreditApplied += used;
            invoice.Lines.Add(new InvoiceLine
            {
                Id = Guid.CreateVersion7(), TenantId = invoice.TenantId, InvoiceId = invoice.Id, Position = invoice.Lines.Count, Kind = InvoiceLineKinds.Credit,
                Description = $"Credit note of {note.CreatedAt:yyyy-MM-dd} ({note.Reason})", Quantity = 1, Amount = -used, CreditNoteId = note.Id,
            });
        }
        invoice.Total = invoice.Subtotal - invoice.Discount + invoice.Tax - invoice.CreditApplied;
    }

    /// <summary>Subtotal of the charges, the discount on it, tax on what is left; credit already applied stays.</summary>
    private static void Total(Invoice invoice, decimal discountPercent, decimal taxRate)
    {
        var currency = invoice.Currency;
        invoice.Lines.RemoveAll(l => l.Kind is InvoiceLineKinds.Discount or InvoiceLineKinds.Tax);
        for (var i = 0; i < invoice.Lines.Count; i++)
        {
            invoice.Lines[i].Position = i;
        }
        invoice.Subtotal = invoice.Lines.Where(l => l.Kind is InvoiceLineKinds.Fixed or InvoiceLineKinds.Usage or InvoiceLineKinds.Proration).Sum(l => l.Amount);
        invoice.Discount = Currencies.Round(invoice.Subtotal * discountPercent / 100, currency);
        invoice.TaxRate = taxRate;
        invoice.Tax = Currencies.Round((invoice.Subtotal - invoice.Discount) * taxRate, currency);
        if (invoice.Discount != 0)
        {
            invoice.Lines.Add(Line(invoice, InvoiceLineKinds.Discount, $"Discount {discountPercent:0.##} %", -invoice.Discount));
        }
        if (invoice.Tax != 0)
        {
            invoice.Lines.Add(Line(invoice, InvoiceLineKinds.Tax, $"Tax {taxRate * 100:0.####} %", invoice.Tax));
        }
        invoice.Total = invoice.Subtotal - invoice.Discount + invoice.Tax - invoice.CreditApplied;
    }

    private static InvoiceLine Line(Invoice invoice, string kind, string description, decimal amount) => new()
    {
        Id = Guid.CreateVersion7(), TenantId = invoice.TenantId, InvoiceId = invoice.Id, Position = invoice.Lines.Count, Kind = kind,
        Description = description, Quantity = 1, Amount = amount,
    };

    /// <summary>The tenant's next number, in this transaction: a rollback gives it back, so numbers have no gaps.</summary>
    private async Task<long> NextNumberAsync(string tenantId, CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<long>($"""
            INSERT INTO invoice_sequences (tenant_id, next_number) VALUES ({tenantId}, 2)
            ON CONFLICT (tenant_id) DO UPDATE SET next_number = invoice_sequences.next_number + 1
            RETURNING next_number - 1 AS "Value"
            """).ToListAsync(cancellationToken)).Single();

    private async Task<Invoice> LockOpenAsync(Guid id, CancellationToken cancellationToken)
    {
        var invoice = await db.Invoices.FromSql($"SELECT * FROM invoices WHERE id = {id} FOR UPDATE").Include(i => i.Lines).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"Invoice '{id}' was not found.", "invoice_not_found");
        if (invoice.Status != InvoiceStatuses.Open)
        {
            throw new ConflictException($"Invoice '{id}' is {invoice.Status}; only an open invoice can be voided, written off or collected.", "invoice_not_open");
        }
        return invoice;
    }

    private static InvoiceIssued Issued(Invoice invoice) =>
        new(invoice.TenantId, invoice.Id, invoice.Total, invoice.Currency, invoice.CustomerId, invoice.SubscriptionId, invoice.DisplayNumber, invoice.Status);
}

internal static class InvoiceMapping
{
    public static InvoiceDto ToDto(this Invoice i) => new(
        i.Id, i.DisplayNumber, i.Status, i.CustomerId, i.SubscriptionId, i.Currency, i.UsageStart, i.UsageEnd, i.FixedStart, i.FixedEnd,
        i.Subtotal, i.Discount, i.TaxRate, i.Tax, i.CreditApplied, i.Total, i.FinalizeAt, i.IssuedAt, i.PaidAt, i.VoidedAt, i.PaymentAttempts, i.NextPaymentAt,
        i.Lines.OrderBy(l => l.Position).Select(l => new InvoiceLineDto(l.Kind, l.Description, l.Metric, l.Quantity, l.Amount, l.PeriodStart, l.PeriodEnd)).ToList());
}
