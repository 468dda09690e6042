using System.Text.Json;
using Codex.Billing.Contracts;
using Codex.Billing.Infrastructure;
using Codex.Billing.Model;
using Codex.Billing.Pricing;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Codex.Billing.Services;

/// <summary>
/// Usage ingest and aggregation. A batch is all or nothing: one bad event refuses the batch with every error named,
/// so a client never has to work out which half landed. A transaction id counts once per tenant, however often sent.
/// </summary>
public sealed class UsageService(BillingDbContext db, TenantContext tenant, MetricCatalog catalog, BillingClock clock)
{
    public const int MaxBatch = 100;
    public const int MaxPropertiesBytes = 4096;

    /// <summary>How far ahead of Billing's clock an event's timestamp may be (client clocks drift).</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    // One statement for the batch; ON CONFLICT makes a repeated transaction id (in this batch or any earlier one) a no-op.
    private const string InsertSql = """
        INSERT INTO usage_records (id, tenant_id, transaction_id, subscription_id, metric, occurred_at, value, unique_key, properties, received_at)
        SELECT id, @tenant, transaction_id, subscription_id, metric, occurred_at, value, unique_key, properties::jsonb, @received
        FROM unnest(@ids, @transactions, @subscriptions, @metrics, @occurred, @values, @keys, @properties)
             AS u(id, transaction_id, subscription_id, metric, occurred_at, value, unique_key, properties)
        ON CONFLICT (tenant_id, transaction_id) DO NOTHING
        """;

    /// <remarks>
    /// One transaction that holds the named subscriptions and their invoices FOR SHARE: a renewal drafting the period's
    /// invoice, or a draft being finalized, waits for the batch (or the batch for it, and then sees the period invoiced),
    /// so an accepted event is always on an invoice and never after one was issued without it.
    /// </remarks>
    public Task<UsageBatchResult> IngestAsync(UsageBatchRequest request, CancellationToken cancellationToken)
    {
        var events = request.Events ?? [];
        if (events.Count is 0 or > MaxBatch)
        {
            throw new ValidationException("events", $"A batch holds 1 to {MaxBatch} events.");
        }
        return db.InTransactionAsync(async ct =>
        {
            var now = clock.Now;
            var metrics = await catalog.FindAsync(db, tenant.RequiredTenantId, events.Select(e => e?.Metric), ct);
            var targets = await ResolveSubscriptionsAsync(events, ct);
            var errors = new FieldErrors();
            var rows = new List<(int Index, Row Row)>(events.Count);
            for (var i = 0; i < events.Count; i++)
            {
                if (Validate(events[i], $"events[{i}]", metrics, targets, now, errors) is { } row)
                {
                    rows.Add((i, row));
                }
            }
            await RefuseInvoicedAsync(rows, targets, errors, ct);
            errors.ThrowIfAny();

            var accepted = await db.Database.ExecuteSqlRawAsync(InsertSql,
                [
                    new NpgsqlParameter("tenant", tenant.RequiredTenantId),
                    new NpgsqlParameter("received", now),
                    Array("ids", NpgsqlDbType.Uuid, rows.Select(r => r.Row.Id)),
                    Array("transactions", NpgsqlDbType.Text, rows.Select(r => r.Row.TransactionId)),
                    Array("subscriptions", NpgsqlDbType.Uuid, rows.Select(r => r.Row.SubscriptionId)),
                    Array("metrics", NpgsqlDbType.Text, rows.Select(r => r.Row.Metric)),
                    Array("occurred", NpgsqlDbType.TimestampTz, rows.Select(r => r.Row.OccurredAt)),
                    Array("values", NpgsqlDbType.Numeric, rows.Select(r => r.Row.Value)),
                    Array("keys", NpgsqlDbType.Text, rows.Select(r => r.Row.UniqueKey)),
                    Array("properties", NpgsqlDbType.Text, rows.Select(r => r.Row.Properties)),
                ],
                ct);
            return new UsageBatchResult(accepted, rows.Count - accepted);
        }, cancellationToken);
    }

    /// <summary>Late usage lands in its period until that period's invoice is issued; after that it is refused, never dropped.</summary>
    private async Task RefuseInvoicedAsync(List<(int Index, Row Row)> rows, Targets targets, FieldErrors errors, CancellationToken cancellationToken)
    {
        // Only usage before its subscription's current period (or of an ended subscription) can fall in an issued
        // invoice: the current period's is drafted at renewal, which waits for this batch (the rows are held FOR SHARE).
        var subscriptions = rows.Where(r => r.Row.OccurredAt < r.Row.Subscription.CurrentPeriodStart || r.Row.Subscription.EndedAt is not null)
            .Select(r => r.Row.SubscriptionId).Distinct().ToArray();
        if (subscriptions.Length == 0)
        {
            return;
        }
        var invoiced = await db.Invoices.FromSql($"SELECT * FROM invoices WHERE subscription_id = ANY({subscriptions}) AND usage_start IS NOT NULL FOR SHARE")
            .AsNoTracking().Where(i => i.Status != InvoiceStatuses.Draft).ToListAsync(cancellationToken);
        foreach (var (index, row) in rows)
        {
            if (invoiced.FirstOrDefault(i => i.SubscriptionId == row.SubscriptionId && row.OccurredAt >= i.UsageStart && row.OccurredAt < i.UsageEnd) is { } invoice)
            {
                errors.Add($"events[{index}].timestamp", $"Its period is invoiced already ({invoice.DisplayNumber}): late usage lands only until then.");
            }
        }
    }

    /// <summary>The subscription's usage in the period that holds <paramref name="at"/> (the current one by default), priced by its plan version.</summary>
    public async Task<UsageReport> ReportAsync(Guid subscriptionId, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        var subscription = await db.Subscriptions.AsNoTracking().Include(s => s.PlanVersion).FirstOrDefaultAsync(s => s.Id == subscriptionId, cancellationToken)
            ?? throw new NotFoundException($"Subscription '{subscriptionId}' was not found.", "subscription_not_found");
        var period = at is { } instant ? subscription.PeriodContaining(instant) : subscription.CurrentPeriod;
        var version = subscription.PlanVersion;
        var metricCodes = version.Charges.Select(c => c.Metric).ToList();
        var metrics = await db.Metrics.AsNoTracking().Where(m => metricCodes.Contains(m.Code)).ToDictionaryAsync(m => m.Code, StringComparer.Ordinal, cancellationToken);
        var lines = new List<MetricUsage>();
        foreach (var charge in version.Charges)
        {
            var metric = metrics[charge.Metric];
            var units = await AggregateAsync(subscription.Id, metric, period, cancellationToken);
            lines.Add(new MetricUsage(metric.Code, metric.Aggregation, units, charge.Model, Currencies.Round(charge.Amount(units), version.Currency)));
        }
        return new UsageReport(subscription.Id, period.Start, period.End, version.Currency, lines, lines.Sum(l => l.Amount));
    }

    /// <summary>The metric's units for one subscription and period, by its aggregation.</summary>
    internal async Task<decimal> AggregateAsync(Guid subscriptionId, BillableMetric metric, BillingPeriod period, CancellationToken cancellationToken)
    {
        var usage = db.UsageRecords.AsNoTracking().Where(u => u.SubscriptionId == subscriptionId && u.Metric == metric.Code);
        var inPeriod = usage.Where(u => u.OccurredAt >= period.Start && u.OccurredAt < period.End);
        return metric.Aggregation switch
        {
            Aggregations.Count => await inPeriod.CountAsync(cancellationToken),
            Aggregations.Sum => await inPeriod.SumAsync(u => u.Value, cancellationToken) ?? 0,
            Aggregations.Max => await inPeriod.MaxAsync(u => u.Value, cancellationToken) ?? 0,
            Aggregations.UniqueCount => await inPeriod.Select(u => u.UniqueKey).Distinct().CountAsync(cancellationToken),
            Aggregations.Latest => await inPeriod.OrderByDescending(u => u.OccurredAt).ThenByDescending(u => u.ReceivedAt).ThenByDescending(u => u.Id)
                .Select(u => u.Value).FirstOrDefaultAsync(cancellationToken) ?? 0,
            Aggregations.WeightedSum => Aggregations.WeightedTotal(period,
                await usage.Where(u => u.OccurredAt < period.Start).SumAsync(u => u.Value, cancellationToken) ?? 0,
                (await inPeriod.OrderBy(u => u.OccurredAt).ThenBy(u => u.Id).Select(u => new { u.OccurredAt, u.Value }).ToListAsync(cancellationToken))
                    .Select(u => (u.OccurredAt, u.Value ?? 0))),
            _ => throw new InvalidOperationException($"Unknown aggregation '{metric.Aggregation}'."),
        };
    }

    /// <summary>The subscriptions the batch names by id, and the live subscriptions of the customers it names.</summary>
    private async Task<Targets> ResolveSubscriptionsAsync(IReadOnlyList<UsageEventRequest> events, CancellationToken cancellationToken)
    {
        var ids = events.Where(e => e?.SubscriptionId is not null).Select(e => e.SubscriptionId!.Value).Distinct().ToList();
        var customers = events.Where(e => e?.SubscriptionId is null && e?.CustomerId is not null).Select(e => e.CustomerId!.Value).Distinct().ToList();
        var (idArray, customerArray) = (ids.ToArray(), customers.ToArray());
        // FOR SHARE: the subscriptions hold still (no renewal, plan change or cancellation) until the batch is in.
        var found = await db.Subscriptions
            .FromSql($"SELECT * FROM subscriptions WHERE id = ANY({idArray}) OR (customer_id = ANY({customerArray}) AND status <> 'cancelled') FOR SHARE")
            .AsNoTracking().ToListAsync(cancellationToken);
        return new Targets(
            found.Where(s => ids.Contains(s.Id)).ToDictionary(s => s.Id),
            found.Where(s => customers.Contains(s.CustomerId) && s.Status != SubscriptionStatuses.Cancelled)
                .GroupBy(s => s.CustomerId).ToDictionary(g => g.Key, g => g.ToList()));
    }

    private sealed record Targets(Dictionary<Guid, Subscription> ById, Dictionary<Guid, List<Subscription>> LiveByCustomer);

    /// <summary>A checked event, as the insert takes it (the metric's field already read).</summary>
    private sealed record Row(
        Guid Id, string TransactionId, Subscription Subscription, string Metric, DateTimeOffset OccurredAt, decimal? Value, string? UniqueKey, string Properties)
    {
        public Guid SubscriptionId => Subscription.Id;
    }

    private static Row? Validate(UsageEventRequest? usage, string at, IReadOnlyDictionary<string, BillableMetric> metrics, Targets targets, DateTimeOffset now, FieldErrors errors)
    {
        if (usage is null)
        {
            errors.Add(at, "An event is an object.");
            return null;
        }
        var before = errors.FieldCount;
        errors.AddIf(string.IsNullOrWhiteSpace(usage.TransactionId) || usage.TransactionId.Length > 100, $"{at}.transactionId",
            "transactionId (1-100 characters) is required: it makes a resent event count once.");
        metrics.TryGetValue(usage.Metric ?? "", out var metric);
        errors.AddIf(metric is null, $"{at}.metric", $"No billable metric '{usage.Metric}'.");

        Subscription? subscription = null;
        if (usage.SubscriptionId is { } id)
        {
            errors.AddIf(usage.CustomerId is not null, $"{at}.customerId", "Name the subscription or the customer, not both.");
            if (!targets.ById.TryGetValue(id, out subscription))
            {
                errors.Add($"{at}.subscriptionId", $"No subscription '{id}'.");
            }
        }
        else if (usage.CustomerId is { } customer)
        {
            var live = targets.LiveByCustomer.GetValueOrDefault(customer) ?? [];
            if (live.Count == 1)
            {
                subscription = live[0];
            }
            else
            {
                errors.Add($"{at}.customerId", live.Count == 0
                    ? $"Customer '{customer}' has no live subscription."
                    : $"Customer '{customer}' has {live.Count} live subscriptions: name the subscriptionId.");
            }
        }
        else
        {
            errors.Add($"{at}.subscriptionId", "Name the subscriptionId (or a customerId with one live subscription).");
        }

        var occurred = usage.Timestamp?.ToUniversalTime() ?? now;
        errors.AddIf(occurred > now + FutureTolerance, $"{at}.timestamp", "timestamp is in the future.");
        if (subscription is not null)
        {
            errors.AddIf(occurred < subscription.StartedAt || subscription.EndedAt is { } ended && occurred >= ended, $"{at}.timestamp",
                "timestamp falls outside the subscription's life.");
        }

        var properties = usage.Properties ?? default;
        if (properties.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            errors.Add($"{at}.properties", "properties is an object.");
        }
        var json = properties.ValueKind == JsonValueKind.Object ? properties.GetRawText() : "{}";
        errors.AddIf(json.Length > MaxPropertiesBytes, $"{at}.properties", $"properties is up to {MaxPropertiesBytes} characters of JSON.");

        decimal? value = null;
        string? key = null;
        if (metric?.Field is { } field)
        {
            var found = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(field, out var property) ? property : default;
            if (Aggregations.NeedsNumber(metric.Aggregation))
            {
                if (found.ValueKind == JsonValueKind.Number && found.TryGetDecimal(out var number))
                {
                    value = number;
                }
                else
                {
                    errors.Add($"{at}.properties.{field}", $"'{metric.Code}' ({metric.Aggregation}) needs a number in properties.{field}.");
                }
            }
            else
            {
                key = found.ValueKind switch
                {
                    JsonValueKind.String => found.GetString(),
                    JsonValueKind.Number => found.GetRawText(),
                    _ => null,
                };
                errors.AddIf(key is null or { Length: 0 or > 200 }, $"{at}.properties.{field}", $"'{metric.Code}' counts distinct values of properties.{field} (a string up to 200 characters or a number).");
            }
        }
        if (errors.FieldCount != before || subscription is null || metric is null)
        {
            return null;
        }
        return new Row(Guid.CreateVersion7(), usage.TransactionId!, subscription, metric.Code, occurred, value, key, json);
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType type, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.ToArray() };
}
