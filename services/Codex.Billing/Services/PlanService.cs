using Codex.Billing.Contracts;
using Codex.Billing.Infrastructure;
using Codex.Billing.Model;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Billing.Services;

/// <summary>A tenant's billable metrics and plans. A plan's terms change only by a new version.</summary>
public sealed class PlanService(BillingDbContext db, TenantContext tenant, TimeProvider clock)
{
    public async Task<MetricDto> CreateMetricAsync(MetricRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        PlanRules.Validate(request, errors);
        errors.ThrowIfAny();
        if (await db.Metrics.AnyAsync(m => m.Code == request.Code, cancellationToken))
        {
            throw DuplicateMetric(request.Code);
        }
        var metric = new BillableMetric
        {
            Id = Guid.CreateVersion7(), TenantId = tenant.RequiredTenantId, Code = request.Code, Name = request.Name.Trim(),
            Aggregation = request.Aggregation, Field = request.Field, CreatedAt = clock.GetUtcNow(),
        };
        db.Metrics.Add(metric);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw DuplicateMetric(request.Code);
        }
        return metric.ToDto();
    }

    public async Task<IReadOnlyList<MetricDto>> ListMetricsAsync(CancellationToken cancellationToken) =>
        (await db.Metrics.AsNoTracking().OrderBy(m => m.Code).ToListAsync(cancellationToken)).Select(m => m.ToDto()).ToList();

    public async Task<MetricDto> GetMetricAsync(string code, CancellationToken cancellationToken) =>
        (await db.Metrics.AsNoTracking().FirstOrDefaultAsync(m => m.Code == code, cancellationToken)
            ?? throw new NotFoundException($"Billable metric '{code}' was not found.", "metric_not_found")).ToDto();

    public async Task<PlanDto> CreatePlanAsync(PlanRequest request, CancellationToken cancellationToken)
    {
        var code = request.Code ?? "";
        if (!PlanRules.Code().IsMatch(code))
        {
            throw new ValidationException("code", "code is 1-64 lower-case letters, digits, '_', '.' or '-'.");
        }
        await ValidateAsync(request, cancellationToken);
        if (await db.Plans.AnyAsync(p => p.Code == code, cancellationToken))
        {
            throw DuplicatePlan(code);
        }
        var now = clock.GetUtcNow();
        var plan = new Plan { Id = Guid.CreateVersion7(), TenantId = tenant.RequiredTenantId, Code = code, CurrentVersion = 1, CreatedAt = now, UpdatedAt = now };
        var version = NewVersion(plan, 1, request, now);
        db.Plans.Add(plan);
        db.PlanVersions.Add(version);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw DuplicatePlan(code);
        }
        return version.ToDto(plan);
    }

    /// <summary>New terms for a plan: version n + 1. Subscriptions keep the version they have until they change plan.</summary>
    public async Task<PlanDto> ReviseAsync(string code, PlanRequest request, CancellationToken cancellationToken)
    {
        await ValidateAsync(request, cancellationToken);
        var plan = await FindAsync(code, cancellationToken);
        var now = clock.GetUtcNow();
        plan.CurrentVersion++;
        plan.UpdatedAt = now;
        var version = NewVersion(plan, plan.CurrentVersion, request, now);
        db.PlanVersions.Add(version);
        try
        {
            // The plan row's version number is the concurrency check: two racing revisions cannot both be n + 1.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new ConflictException($"Plan '{code}' was revised at the same time; read it again and retry.", "plan_revised_concurrently");
        }
        return version.ToDto(plan);
    }

    public async Task<IReadOnlyList<PlanDto>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Plans.AsNoTracking()
            .Join(db.PlanVersions.AsNoTracking(), p => new { PlanId = p.Id, Version = p.CurrentVersion }, v => new { v.PlanId, v.Version }, (p, v) => new { p, v })
            .OrderBy(r => r.p.Code).ToListAsync(cancellationToken);
        return rows.Select(r => r.v.ToDto(r.p)).ToList();
    }

    public async Task<PlanDto> GetAsync(string code, int? version, CancellationToken cancellationToken)
    {
        var plan = await FindAsync(code, cancellationToken);
        var number = version ?? plan.CurrentVersion;
        var terms = await db.PlanVersions.AsNoTracking().FirstOrDefaultAsync(v => v.PlanId == plan.Id && v.Version == number, cancellationToken)
            ?? throw new NotFoundException($"Plan '{code}' has no version {number}.", "plan_version_not_found");
        return terms.ToDto(plan);
    }

    public async Task<IReadOnlyList<PlanDto>> VersionsAsync(string code, CancellationToken cancellationToken)
    {
        var plan = await FindAsync(code, cancellationToken);
        var versions = await db.PlanVersions.AsNoTracking().Where(v => v.PlanId == plan.Id).OrderByDescending(v => v.Version).ToListAsync(cancellationToken);
        return versions.Select(v => v.ToDto(plan)).ToList();
    }

    /// <summary>The plan's current terms, for a subscription.</summary>
    internal async Task<(Plan Plan, PlanVersion Version)> CurrentAsync(string code, CancellationToken cancellationToken)
    {
        var plan = await FindAsync(code, cancellationToken);
        var version = await db.PlanVersions.FirstAsync(v => v.PlanId == plan.Id && v.Version == plan.CurrentVersion, cancellationToken);
        return (plan, version);
    }

    private async Task<Plan> FindAsync(string code, CancellationToken cancellationToken) =>
        await db.Plans.FirstOrDefaultAsync(p => p.Code == code, cancellationToken)
            ?? throw new NotFoundException($"Plan '{code}' was not found.", "plan_not_found");

    private async Task ValidateAsync(PlanRequest request, CancellationToken cancellationToken)
    {
        var metrics = (await db.Metrics.Select(m => m.Code).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var errors = new FieldErrors();
        PlanRules.Validate(request, metrics, errors);
        errors.ThrowIfAny();
    }

    private PlanVersion NewVersion(Plan plan, int number, PlanRequest request, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = tenant.RequiredTenantId,
        PlanId = plan.Id,
        Version = number,
        Name = request.Name.Trim(),
        Description = request.Description,
        Amount = request.Amount,
        Currency = request.Currency,
        Interval = request.Interval,
        IntervalCount = request.IntervalCount,
        TrialDays = request.TrialDays,
        Charges = [.. request.Charges ?? []],
        Entitlements = new Entitlements
        {
            Limits = new(request.Entitlements?.Limits ?? new Dictionary<string, long>()),
            Features = new(request.Entitlements?.Features ?? new Dictionary<string, bool>()),
        },
        CreatedAt = now,
    };

    private static ConflictException DuplicateMetric(string code) => new($"A billable metric '{code}' exists already.", "duplicate_metric");

    private static ConflictException DuplicatePlan(string code) => new($"A plan '{code}' exists already.", "duplicate_plan");
}

internal static class PlanMapping
{
    public static MetricDto ToDto(this BillableMetric m) => new(m.Id, m.Code, m.Name, m.Aggregation, m.Field, m.CreatedAt);

    public static PlanDto ToDto(this PlanVersion v, Plan plan) => new(
        plan.Id, plan.Code, v.Version, v.Name, v.Description, v.Amount, v.Currency, v.Interval, v.IntervalCount, v.TrialDays, v.Charges,
        v.Entitlements.ToDto(), plan.CreatedAt, v.CreatedAt);

    public static EntitlementsDto ToDto(this Entitlements e) => new(e.Limits, e.Features);
}
