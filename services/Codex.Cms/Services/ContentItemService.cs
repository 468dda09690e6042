using System.Text.Json;
using Codex.Cms.Contracts;
using Codex.Cms.Infrastructure;
using Codex.Cms.Model;
using Codex.Cms.Schema;
using Codex.Contracts;
using Codex.Messaging.Outbox;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Cms.Services;

/// <summary>
/// Items: every save validated against the type and kept as a version, in one transaction with its event. Writes
/// hold the type's row in share mode, so a schema change (which takes it exclusively and checks every item) can
/// never miss an item saved against the old fields at the same moment.
/// </summary>
public sealed class ContentItemService(
    CmsDbContext db, TenantContext tenant, ContentTypeService types, ContentValidation validation, LocaleService locales, IEventOutbox outbox, TimeProvider clock)
{
    public const int MaxLimit = 100;

    public async Task<KeysetPage<ItemDto>> ListAsync(string? type, string? status, string? locale, string? cursor, int limit, CancellationToken cancellationToken)
    {
        Paging.ValidateLimit(limit, MaxLimit);
        if (status is not null && !ContentStatuses.All.Contains(status))
        {
            throw new ValidationException("status", $"status is one of {string.Join(", ", ContentStatuses.All)}.");
        }
        var items = db.ContentItems.AsNoTracking().Include(i => i.Type).AsQueryable();
        if (type is not null)
        {
            var typeId = (await types.FindAsync(type, tracking: false, cancellationToken)).Id;
            items = items.Where(i => i.ContentTypeId == typeId);
        }
        if (status is not null)
        {
            items = items.Where(i => i.Status == status);
        }
        if (locale is not null)
        {
            items = items.Where(i => i.Locale == locale);
        }
        if (KeysetCursor.Decode(cursor) is { At: { } at, Id: var id })
        {
            items = items.Where(i => i.UpdatedAt < at || (i.UpdatedAt == at && i.Id < id));
        }
        var rows = await items.OrderByDescending(i => i.UpdatedAt).ThenByDescending(i => i.Id).Take(limit + 1).ToListAsync(cancellationToken);
        return KeysetCursor.Page(rows, limit, i => new KeysetCursor(i.UpdatedAt, i.Id), ToDto);
    }

    public async Task<ItemDto> GetAsync(Guid id, CancellationToken cancellationToken) =>
        ToDto(await db.ContentItems.AsNoTracking().Include(i => i.Type).FirstOrDefaultAsync(i => i.Id == id, cancellationToken) ?? throw NotFound(id));

    public Task<ItemDto> CreateAsync(CreateItemRequest request, CancellationToken cancellationToken) => db.InTransactionAsync(async ct =>
    {
        var type = await types.FindAsync(request.Type, tracking: false, ct);
        var locale = await locales.RequireForWriteAsync(request.Locale, ct);
        await LockTypeAsync(type.Id, ct);
        var data = await ValidatedAsync(type, request.Slug, request.Data, ct);
        await EnsureSlugFreeAsync(type.Id, request.Slug, null, ct);
        var id = Guid.CreateVersion7();
        var item = NewVariant(type, id, id, locale, request.Slug, data);
        db.Attach(type);
        db.ContentItems.Add(item);
        db.Revisions.Add(Revision(item, "created", item.CreatedAt));
        await outbox.SaveChangesAsync([Created(item)], ct);
        return ToDto(item);
    }, cancellationToken);

    /// <summary>
    /// Another locale's variant of an item: a draft at version 1, with the item's slug and shared (non-localised)
    /// fields; its localised fields are <see cref="CreateVariantRequest.Data"/>'s, or a copy of this variant's.
    /// </summary>
    public Task<ItemDto> CreateVariantAsync(Guid id, CreateVariantRequest request, CancellationToken cancellationToken) => db.InTransactionAsync(async ct =>
    {
        var source = await FindTrackedAsync(id, ct);
        var locale = await locales.RequireForWriteAsync(request.Locale, ct);
        await LockTypeAsync(source.ContentTypeId, ct);
        if (await db.ContentItems.AnyAsync(i => i.EntryId == source.EntryId && i.Locale == locale, ct))
        {
            throw new ConflictException($"The item already has a '{locale}' variant.", "variant_exists");
        }
        var requested = request.Data is { } given ? given.GetRawText() : source.Data;
        using var candidate = JsonDocument.Parse(SharedFields.Apply(source.Type!, source.Data, requested) ?? requested);
        var data = await ValidatedAsync(source.Type!, source.Slug, candidate.RootElement, ct);
        var item = NewVariant(source.Type!, Guid.CreateVersion7(), source.EntryId, locale, source.Slug, data);
        db.ContentItems.Add(item);
        db.Revisions.Add(Revision(item, $"created from {source.Locale}", item.CreatedAt));
        await outbox.SaveChangesAsync([Created(item)], ct);
        return ToDto(item);
    }, cancellationToken);

    /// <summary>The item's variants, one per locale, in locale order.</summary>
    public async Task<IReadOnlyList<VariantDto>> VariantsAsync(Guid id, CancellationToken cancellationToken)
    {
        var entry = await db.ContentItems.AsNoTracking().Where(i => i.Id == id).Select(i => (Guid?)i.EntryId).FirstOrDefaultAsync(cancellationToken) ?? throw NotFound(id);
        return await db.ContentItems.AsNoTracking().Where(i => i.EntryId == entry).OrderBy(i => i.Locale)
            .Select(i => new VariantDto(i.Id, i.Locale, i.Status, i.Version, i.PublishedVersion, i.UpdatedAt)).ToListAsync(cancellationToken);
    }

    private ContentItem NewVariant(ContentType type, Guid id, Guid entryId, string locale, string slug, string data)
    {
        var now = clock.GetUtcNow();
        return new ContentItem
        {
            Id = id, EntryId = entryId, Locale = locale, TenantId = tenant.RequiredTenantId, ContentTypeId = type.Id, Slug = slug, Status = ContentStatuses.Draft,
            Data = data, Version = 1, CreatedAt = now, UpdatedAt = now, CreatedBy = tenant.UserId, UpdatedBy = tenant.UserId, Type = type,
        };
    }

    /// <summary>Saves a new version. A published item stays live as it was (its published copy) and goes back to draft; so does one in review.</summary>
    public Task<ItemDto> UpdateAsync(Guid id, UpdateItemRequest request, CancellationToken cancellationToken) => db.InTransactionAsync(async ct =>
    {
        var item = await FindTrackedAsync(id, ct);
        if (request.BaseVersion is { } baseVersion && baseVersion != item.Version)
        {
            throw new ConflictException($"The item is at version {item.Version}, not {baseVersion}: someone saved since; reload and merge.", "version_conflict");
        }
        await LockTypeAsync(item.ContentTypeId, ct);
        var data = await ValidatedAsync(item.Type!, request.Slug, request.Data, ct);
        return await SaveVersionAsync(item, request.Slug, data, "edited", ct);
    }, cancellationToken);

    /// <summary>Makes an earlier version's slug and data the newest version; refused when they no longer fit the type or the slug is taken.</summary>
    public Task<ItemDto> RollbackAsync(Guid id, int version, CancellationToken cancellationToken) => db.InTransactionAsync(async ct =>
    {
        var item = await FindTrackedAsync(id, ct);
        var revision = await db.Revisions.AsNoTracking().FirstOrDefaultAsync(r => r.ItemId == id && r.Version == version, ct)
                       ?? throw new NotFoundException($"Item '{id}' has no version {version}.", "version_not_found");
        await LockTypeAsync(item.ContentTypeId, ct);
        using var old = JsonDocument.Parse(revision.Data);
        var data = await ValidatedAsync(item.Type!, revision.Slug, old.RootElement, ct);
        return await SaveVersionAsync(item, revision.Slug, data, $"rolled back to {version}", ct);
    }, cancellationToken);

    private async Task<ItemDto> SaveVersionAsync(ContentItem item, string slug, string data, string note, CancellationToken ct)
    {
        if (item.Status == ContentStatuses.Archived)
        {
            throw new ConflictException("An archived item is not edited; restore it first.", "item_archived");
        }
        if (slug == item.Slug && JsonText.Same(data, item.Data))
        {
            return ToDto(item);   // nothing changed: no version, no event
        }
        await EnsureSlugFreeAsync(item.ContentTypeId, slug, item.EntryId, ct);
        var now = clock.GetUtcNow();
        var events = new List<IIntegrationEvent>();
        NewVersion(item, slug, data, note, now);
        events.Add(Updated(item, note.StartsWith("rolled", StringComparison.Ordinal) ? "rolled_back" : "edited"));
        // The other locales take the slug and the shared fields; an archived variant catches up when it is restored.
        var siblings = await db.ContentItems.Include(i => i.Type)
            .Where(i => i.EntryId == item.EntryId && i.Id != item.Id && i.Status != ContentStatuses.Archived).ToListAsync(ct);
        foreach (var sibling in siblings)
        {
            var shared = SharedFields.Apply(item.Type!, data, sibling.Data);
            if (shared is not null || sibling.Slug != slug)
            {
                NewVersion(sibling, slug, shared ?? sibling.Data, $"shared fields from {item.Locale}", now);
                events.Add(Updated(sibling, "shared_fields_synced"));
            }
        }
        await outbox.SaveChangesAsync(events, ct);
        return ToDto(item);
    }

    private void NewVersion(ContentItem item, string slug, string data, string note, DateTimeOffset now)
    {
        item.Slug = slug;
        item.Data = data;
        item.Version++;
        item.Status = ContentStatuses.Draft;
        item.PublishAt = null;   // what was approved or scheduled is not what would go live now
        Touch(item, now);
        db.Revisions.Add(Revision(item, note, now));
    }

    /// <summary>draft → in_review.</summary>
    public Task<ItemDto> SubmitAsync(Guid id, CancellationToken cancellationToken) => TransitionAsync(id, item =>
    {
        Require(item, ContentStatuses.Draft, "submitted for review");
        item.Status = ContentStatuses.InReview;
        return [Updated(item, "submitted")];
    }, cancellationToken);

    /// <summary>in_review → draft: a reviewer sends it back (and a scheduled publication with it).</summary>
    public Task<ItemDto> RejectAsync(Guid id, CancellationToken cancellationToken) => TransitionAsync(id, item =>
    {
        Require(item, ContentStatuses.InReview, "sent back");
        item.Status = ContentStatuses.Draft;
        item.PublishAt = null;
        return [Updated(item, "rejected")];
    }, cancellationToken);

    /// <summary>
    /// Publishes a type without review from draft (or in review), now or at <paramref name="at"/>. A type with review
    /// is published by <see cref="ApproveAsync"/> only.
    /// </summary>
    public Task<ItemDto> PublishAsync(Guid id, DateTimeOffset? at, CancellationToken cancellationToken) => TransitionAsync(id, item =>
    {
        if (item.Type!.RequiresReview)
        {
            throw new ConflictException($"Items of '{item.Type.Slug}' are published by approving them in review.", "review_required");
        }
        if (!Publishable(item))
        {
            throw new ConflictException($"A {item.Status} item is not published.", "invalid_transition");
        }
        return Later(at) ? SchedulePublish(item, at!.Value) : Publish(item);
    }, cancellationToken);

    /// <summary>in_review → published, now or at <paramref name="at"/> (it stays in review until then), for a holder of cms.content.approve.</summary>
    public Task<ItemDto> ApproveAsync(Guid id, DateTimeOffset? at, CancellationToken cancellationToken) => TransitionAsync(id, item =>
    {
        Require(item, ContentStatuses.InReview, "approved");
        return Later(at) ? SchedulePublish(item, at!.Value) : Publish(item);
    }, cancellationToken);

    /// <summary>
    /// Takes the live copy down, now or at <paramref name="at"/>; the working copy stays (a published item becomes a draft).
    /// A later unpublish may be set for an item whose publication is itself scheduled (an embargoed campaign).
    /// </summary>
    public Task<ItemDto> UnpublishAsync(Guid id, DateTimeOffset? at, CancellationToken cancellationToken) => TransitionAsync(id, item =>
    {
        if (Later(at))
        {
            if (item.PublishedVersion is null && !(item.PublishAt < at))
            {
                throw new ConflictException("Only a published item, or one whose publication comes first, is unpublished later.", "invalid_transition");
            }
            item.UnpublishAt = at;
            return [Updated(item, "unpublish_scheduled")];
        }
        if (item.PublishedVersion is null)
        {
            throw new ConflictException("The item is not published.", "invalid_transition");
        }
        return Unpublish(item);
    }, cancellationToken);

    /// <summary>Drops the item's scheduled publish and unpublish.</summary>
    public Task<ItemDto> CancelScheduleAsync(Guid id, CancellationToken cancellationToken) => TransitionAsync(id, item =>
    {
        if (item.PublishAt is null && item.UnpublishAt is null)
        {
            throw new ConflictException("Nothing is scheduled for the item.", "nothing_scheduled");
        }
        item.PublishAt = null;
        item.UnpublishAt = null;
        return [Updated(item, "schedule_cancelled")];
    }, cancellationToken);

    /// <summary>
    /// The scheduler's firing of one item, for the scope's tenant: the row is claimed with <c>FOR UPDATE SKIP LOCKED</c>
    /// and the due times cleared in the transaction that publishes or unpublishes, so however many replicas look,
    /// each scheduled time fires once. False when another replica has it or nothing is due any more.
    /// </summary>
    public Task<bool> FireScheduledAsync(Guid id, CancellationToken cancellationToken) => db.InTransactionAsync(async ct =>
    {
        var now = clock.GetUtcNow();
        var claimed = await db.Database.SqlQuery<Guid>($"""
            SELECT id AS "Value" FROM content_items WHERE id = {id} AND (publish_at <= {now} OR unpublish_at <= {now}) FOR UPDATE SKIP LOCKED
            """).ToListAsync(ct);
        if (claimed.Count == 0)
        {
            return false;
        }
        var item = await FindTrackedAsync(id, ct);
        var events = new List<IIntegrationEvent>();
        if (item.PublishAt <= now)
        {
            item.PublishAt = null;
            // Reviewed types go live only from review (an approval scheduled it); an archived item never does.
            if (item.Type!.RequiresReview ? item.Status == ContentStatuses.InReview : Publishable(item))
            {
                events.AddRange(Publish(item));
            }
        }
        if (item.UnpublishAt <= now)
        {
            item.UnpublishAt = null;
            if (item.PublishedVersion is not null)
            {
                events.AddRange(Unpublish(item));
            }
        }
        item.UpdatedAt = now;
        await outbox.SaveChangesAsync(events, ct);
        return true;
    }, cancellationToken);

    private bool Later(DateTimeOffset? at) => at is { } when && when > clock.GetUtcNow();

    private static bool Publishable(ContentItem item) => item.Status is ContentStatuses.Draft or ContentStatuses.InReview;

    private IEnumerable<IIntegrationEvent> SchedulePublish(ContentItem item, DateTimeOffset at)
    {
        if (at > clock.GetUtcNow().AddYears(5))
        {
            throw new ValidationException("at", "A publication is scheduled at most 5 years ahead.");
        }
        item.PublishAt = at;
        return [Updated(item, "publish_scheduled")];
    }

    private static IEnumerable<IIntegrationEvent> Unpublish(ContentItem item)
    {
        if (item.Status == ContentStatuses.Published)
        {
            item.Status = ContentStatuses.Draft;
        }
        ClearPublished(item);
        return [new ContentUnpublished(item.TenantId, item.Id, item.Type!.Slug, item.Slug, item.Locale, item.EntryId)];
    }

    /// <summary>Any state → archived; a live item is unpublished on the way.</summary>
    public Task<ItemDto> ArchiveAsync(Guid id, CancellationToken cancellationToken) => TransitionAsync(id, item =>
    {
        if (item.Status == ContentStatuses.Archived)
        {
            throw new ConflictException("The item is already archived.", "invalid_transition");
        }
        var events = new List<IIntegrationEvent>();
        if (item.PublishedVersion is not null)
        {
            ClearPublished(item);
            events.Add(new ContentUnpublished(item.TenantId, item.Id, item.Type!.Slug, item.Slug, item.Locale, item.EntryId));
        }
        item.PublishAt = null;
        item.UnpublishAt = null;
        item.Status = ContentStatuses.Archived;
        events.Add(new ContentArchived(item.TenantId, item.Id, item.Type!.Slug, item.Slug, item.Locale, item.EntryId));
        return events;
    }, cancellationToken);

    /// <summary>archived → draft.</summary>
    public Task<ItemDto> RestoreAsync(Guid id, CancellationToken cancellationToken) => db.InTransactionAsync(async ct =>
    {
        var item = await FindTrackedAsync(id, ct);
        Require(item, ContentStatuses.Archived, "restored");
        var now = clock.GetUtcNow();
        item.Status = ContentStatuses.Draft;
        var events = new List<IIntegrationEvent> { Updated(item, "restored") };
        // Archived, it missed the other locales' saves of the slug and shared fields: it takes them from the latest.
        var source = await db.ContentItems.AsNoTracking()
            .Where(i => i.EntryId == item.EntryId && i.Id != item.Id && i.Status != ContentStatuses.Archived)
            .OrderByDescending(i => i.UpdatedAt).FirstOrDefaultAsync(ct);
        var shared = source is null ? null : SharedFields.Apply(item.Type!, source.Data, item.Data);
        if (source is not null && (shared is not null || source.Slug != item.Slug))
        {
            NewVersion(item, source.Slug, shared ?? item.Data, $"shared fields from {source.Locale}", now);
            events.Add(Updated(item, "shared_fields_synced"));
        }
        Touch(item, now);
        await outbox.SaveChangesAsync(events, ct);
        return ToDto(item);
    }, cancellationToken);

    private Task<ItemDto> TransitionAsync(Guid id, Func<ContentItem, IEnumerable<IIntegrationEvent>> apply, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            var item = await FindTrackedAsync(id, ct);
            var events = apply(item).ToList();
            Touch(item, clock.GetUtcNow());
            await outbox.SaveChangesAsync(events, ct);
            return ToDto(item);
        }, cancellationToken);

    private IEnumerable<IIntegrationEvent> Publish(ContentItem item)
    {
        var republished = item.PublishedVersion is not null;
        item.PublishAt = null;
        item.Status = ContentStatuses.Published;
        item.PublishedVersion = item.Version;
        item.PublishedData = item.Data;
        item.PublishedAt = clock.GetUtcNow();
        return [new ContentPublished(item.TenantId, item.Id, item.Type!.Slug, item.Slug, item.Version, republished, item.Locale, item.EntryId)];
    }

    private static void ClearPublished(ContentItem item)
    {
        item.PublishedVersion = null;
        item.PublishedData = null;
        item.PublishedAt = null;
    }

    private static void Require(ContentItem item, string status, string action)
    {
        if (item.Status != status)
        {
            throw new ConflictException($"Only a {status.Replace('_', ' ')} item is {action}; this one is {item.Status.Replace('_', ' ')}.", "invalid_transition");
        }
    }

    private void Touch(ContentItem item, DateTimeOffset now)
    {
        item.UpdatedAt = now;
        item.UpdatedBy = tenant.UserId;
    }

    private static ContentUpdated Updated(ContentItem item, string change) =>
        new(item.TenantId, item.Id, item.Type!.Slug, item.Slug, item.Version, item.Status, change, item.Locale, item.EntryId);

    private static ContentCreated Created(ContentItem item) => new(item.TenantId, item.Id, item.Type!.Slug, item.Slug, item.Version, item.Locale, item.EntryId);

    private ContentRevision Revision(ContentItem item, string note, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(), TenantId = item.TenantId, ItemId = item.Id, Version = item.Version, Slug = item.Slug, Data = item.Data,
        Note = note, CreatedAt = now, CreatedBy = tenant.UserId,
    };

    private Task<string> ValidatedAsync(ContentType type, string slug, JsonElement data, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.AddIf(!FieldRules.IsSlug(slug), "slug", "A slug is lower-case letters and digits in words joined by hyphens (at most 100 characters).");
        return validation.ValidatedAsync(type, data, errors, "data", ct);
    }

    /// <summary>A slug belongs to one item (all its variants): another item of the type holding it in any locale is a 409.</summary>
    private async Task EnsureSlugFreeAsync(Guid typeId, string slug, Guid? exceptEntry, CancellationToken ct)
    {
        // The unique index is per locale: two items taking one slug in two locales at once are serialized here, so
        // the second sees the first (the lock is held to the end of the write's transaction).
        await db.Database.LockAsync($"cms-slug:{tenant.RequiredTenantId}:{typeId}:{slug}", ct);
        if (await db.ContentItems.AnyAsync(i => i.ContentTypeId == typeId && i.Slug == slug && i.EntryId != exceptEntry, ct))
        {
            throw new ConflictException($"An item of this type already has the slug '{slug}'.", "duplicate_slug");
        }
    }

    private Task LockTypeAsync(Guid typeId, CancellationToken ct) => validation.LockTypeAsync(typeId, ct);

    private async Task<ContentItem> FindTrackedAsync(Guid id, CancellationToken ct) =>
        await db.ContentItems.Include(i => i.Type).FirstOrDefaultAsync(i => i.Id == id, ct) ?? throw NotFound(id);

    public static NotFoundException NotFound(Guid id) => new($"Content item '{id}' was not found.", "content_item_not_found");

    public static ItemDto ToDto(ContentItem i) => new(
        i.Id, i.Type!.Slug, i.Slug, i.Status, i.Version, i.PublishedVersion, i.PublishedAt, JsonSerializer.Deserialize<JsonElement>(i.Data),
        i.CreatedAt, i.UpdatedAt, i.CreatedBy, i.UpdatedBy, i.PublishAt, i.UnpublishAt, i.Locale, i.EntryId);
}
