using Codex.Platform.Contracts;
using Codex.Platform.Infrastructure;
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
        entries = query.TenantId is { Length: > 0 } tenant ? entries.Where(e => e.TenantId == tenant) : entries;
        entries = query.Actor is { Length: > 0 } actor ? entries.Where(e => e.Actor == actor) : entries;
        entries = query.Type is { Length: > 0 } type ? entries.Where(e => e.Type == type) : entries;
        entries = query.From is { } from ? entries.Where(e => e.OccurredAt >= from) : entries;
        entries = query.To is { } to ? entries.Where(e => e.OccurredAt <= to) : entries;
        var total = await entries.CountAsync(cancellationToken);
        var page = await entries.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedList<AuditEntryDto>(
            page.Select(e => new AuditEntryDto(e.Id, e.TenantId, e.Type, e.Actor, e.Source, e.OccurredAt, e.RecordedAt, e.TraceId, e.Data.RootElement.Clone())).ToList(),
            query.Page, query.PageSize, total));
    }

    public static async Task<Ok<PagedList<SecurityEventDto>>> Security([AsParameters] LedgerQuery query, PlatformDbContext db, CancellationToken cancellationToken)
    {
        query.Validate();
        var events = db.SecurityEvents.AsNoTracking();
        events = query.TenantId is { Length: > 0 } tenant ? events.Where(e => e.TenantId == tenant) : events;
        events = query.Actor is { Length: > 0 } actor && Guid.TryParse(actor, out var userId) ? events.Where(e => e.UserId == userId) : events;
        events = query.Type is { Length: > 0 } type ? events.Where(e => e.Type == type) : events;
        events = query.From is { } from ? events.Where(e => e.OccurredAt >= from) : events;
        events = query.To is { } to ? events.Where(e => e.OccurredAt <= to) : events;
        var total = await events.CountAsync(cancellationToken);
        var page = await events.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedList<SecurityEventDto>(
            page.Select(e => new SecurityEventDto(e.Id, e.TenantId, e.Type, e.UserId, e.Email, e.Source, e.OccurredAt, e.Data.RootElement.Clone())).ToList(),
            query.Page, query.PageSize, total));
    }
}
