using Codex.Platform.Contracts;
using Codex.Platform.Infrastructure;
using Codex.Platform.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Codex.Platform.Apis;

/// <summary>The audit log and security events: search by tenant, actor, type and time range, paged (newest first).</summary>
public static class LedgerApi
{
    public const int MaxPageSize = 200;

    public sealed record LedgerQuery(string? TenantId, string? Actor, string? Type, DateTimeOffset? From, DateTimeOffset? To, int Page = 1, int PageSize = 50)
    {
        public void Validate()
        {
            Paging.Validate(Page, PageSize, MaxPageSize);
            if (From is { } from && To is { } to && from > to)
            {
                throw new ValidationException("from", "from must not be after to.");
            }
        }
    }

    public static void MapLedgerApi(this RouteGroupBuilder platform)
    {
        platform.MapGet("/audit", Audit).WithTags("Audit").WithName("SearchAudit");
        platform.MapGet("/security-events", Security).WithTags("Audit").WithName("SearchSecurityEvents");
    }

    public static async Task<Ok<PagedList<AuditEntryDto>>> Audit([AsParameters] LedgerQuery query, PlatformDbContext db, CancellationToken cancellationToken)
    {
        query.Validate();
        var entries = db.AuditLog.AsNoTracking();
        entries = query.Actor is { Length: > 0 } actor ? entries.Where(e => e.Actor == actor) : entries;
        return TypedResults.Ok(await PageAsync(entries, query,
            e => new AuditEntryDto(e.Id, e.TenantId, e.Type, e.Actor, e.Source, e.OccurredAt, e.RecordedAt, e.TraceId, e.Data.RootElement.Clone()), cancellationToken));
    }

    public static async Task<Ok<PagedList<SecurityEventDto>>> Security([AsParameters] LedgerQuery query, PlatformDbContext db, CancellationToken cancellationToken)
    {
        query.Validate();
        var events = db.SecurityEvents.AsNoTracking();
        events = query.Actor is { Length: > 0 } actor && Guid.TryParse(actor, out var userId) ? events.Where(e => e.UserId == userId) : events;
        return TypedResults.Ok(await PageAsync(events, query,
            e => new SecurityEventDto(e.Id, e.TenantId, e.Type, e.UserId, e.Email, e.Source, e.OccurredAt, e.Data.RootElement.Clone()), cancellationToken));
    }

    /// <summary>The filters both ledgers share (tenant, type, time range), then one page, newest first.</summary>
    private static async Task<PagedList<TDto>> PageAsync<TRecord, TDto>(IQueryable<TRecord> records, LedgerQuery query, Func<TRecord, TDto> toDto, CancellationToken cancellationToken)
        where TRecord : class, ILedgerRecord
    {
        records = query.TenantId is { Length: > 0 } tenant ? records.Where(e => e.TenantId == tenant) : records;
        records = query.Type is { Length: > 0 } type ? records.Where(e => e.Type == type) : records;
        records = query.From is { } from ? records.Where(e => e.OccurredAt >= from) : records;
        records = query.To is { } to ? records.Where(e => e.OccurredAt <= to) : records;
        var total = await records.CountAsync(cancellationToken);
        var page = await records.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToListAsync(cancellationToken);
        return new PagedList<TDto>(page.Select(toDto).ToList(), query.Page, query.PageSize, total);
    }
}
