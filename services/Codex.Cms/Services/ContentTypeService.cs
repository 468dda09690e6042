using System.Text.Json;
using Codex.Cms.Contracts;
using Codex.Cms.Infrastructure;
using Codex.Cms.Model;
using Codex.Cms.Schema;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Cms.Services;

/// <summary>A tenant's content types: created, changed only in ways its items' data survives, deleted only while unused.</summary>
public sealed class ContentTypeService(CmsDbContext db, TenantContext tenant, ContentSchemas schemas, TimeProvider clock)
{
    /// <summary>How many affected items a refused schema change lists (the count is always whole).</summary>
    public const int MaxAffectedListed = 100;

    public async Task<IReadOnlyList<ContentTypeDto>> ListAsync(CancellationToken cancellationToken) =>
        (await db.ContentTypes.AsNoTracking().OrderBy(t => t.Slug).ToListAsync(cancellationToken)).Select(ToDto).ToList();

    public async Task<ContentTypeDto> GetAsync(string slug, CancellationToken cancellationToken) => ToDto(await FindAsync(slug, tracking: false, cancellationToken));

    public async Task<ContentType> FindAsync(string slug, bool tracking, CancellationToken cancellationToken)
    {
        var types = tracking ? db.ContentTypes : db.ContentTypes.AsNoTracking();
        return await types.FirstOrDefaultAsync(t => t.Slug == slug, cancellationToken)
               ?? throw new NotFoundException($"Content type '{slug}' was not found.", "content_type_not_found");
    }

    public async Task<ContentTypeDto> CreateAsync(CreateContentTypeRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        errors.AddIf(!FieldRules.IsSlug(request.Slug), "slug", "A slug is lower-case letters and digits in words joined by hyphens (at most 100 characters).");
        FieldRules.Check(request.Fields, errors);
        errors.ThrowIfAny();
        await CheckReferenceTypesAsync(request.Fields, request.Slug, errors, cancellationToken);
        if (await db.ContentTypes.AnyAsync(t => t.Slug == request.Slug, cancellationToken))
        {
            throw new ConflictException($"A content type with the slug '{request.Slug}' already exists.", "duplicate_slug");
        }
        var now = clock.GetUtcNow();
        var type = new ContentType
        {
            Id = Guid.CreateVersion7(), TenantId = tenant.RequiredTenantId, Slug = request.Slug, Name = request.Name.Trim(),
            Description = request.Description, RequiresReview = request.RequiresReview, Fields = request.Fields, CreatedAt = now, UpdatedAt = now,
        };
        db.ContentTypes.Add(type);
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(type);
    }

    /// <summary>
    /// Replaces the type's definition. Every item's working copy and published copy is validated against the new
    /// fields first; when one would no longer fit (a removed field that holds data, a new required field, a narrower
    /// bound), nothing changes and the answer is a 409 listing the affected items with their errors.
    /// </summary>
    public Task<ContentTypeDto> UpdateAsync(string slug, UpdateContentTypeRequest request, CancellationToken cancellationToken) => db.InTransactionAsync(async ct =>
    {
        var errors = new FieldErrors();
        FieldRules.Check(request.Fields, errors);
        errors.ThrowIfAny();
        await CheckReferenceTypesAsync(request.Fields, slug, errors, ct);
        var type = await FindAsync(slug, tracking: true, ct);
        // Item writes hold this row FOR SHARE: none can slip in between the check below and the change.
        await db.Database.SqlQuery<int>($"SELECT 1 AS \"Value\" FROM content_types WHERE id = {type.Id} FOR UPDATE").ToListAsync(ct);
        var fieldsChanged = JsonSerializer.Serialize(type.Fields, FieldRules.Json) != JsonSerializer.Serialize(request.Fields, FieldRules.Json);
        if (fieldsChanged)
        {
            var candidate = ContentSchema.Compile(new ContentType { TenantId = type.TenantId, Slug = type.Slug, Name = request.Name, Fields = request.Fields });
            await RefuseOrphansAsync(type.Id, candidate, ct);
            type.Fields = request.Fields;
            type.SchemaVersion++;
        }
        type.Name = request.Name.Trim();
        type.Description = request.Description;
        type.RequiresReview = request.RequiresReview;
        type.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return ToDto(type);
    }, cancellationToken);

    public async Task DeleteAsync(string slug, CancellationToken cancellationToken)
    {
        var type = await FindAsync(slug, tracking: true, cancellationToken);
        var items = await db.ContentItems.CountAsync(i => i.ContentTypeId == type.Id, cancellationToken);
        if (items > 0)
        {
            throw new ConflictException($"Content type '{slug}' still has {items} items; delete or move them first.", "content_type_in_use");
        }
        var referencedBy = (await db.ContentTypes.AsNoTracking().Where(t => t.Id != type.Id).ToListAsync(cancellationToken))
            .Where(t => FieldRules.ReferenceTypes(t.Fields).Any(r => r.Type == slug)).Select(t => t.Slug).ToList();
        if (referencedBy.Count > 0)
        {
            throw new ConflictException($"Content types {string.Join(", ", referencedBy)} have reference fields to '{slug}'.", "content_type_in_use");
        }
        var pages = await db.Pages.CountAsync(p => p.TemplateId == type.Id, cancellationToken);
        if (pages > 0)
        {
            throw new ConflictException($"Content type '{slug}' is the template of {pages} pages.", "content_type_in_use");
        }
        db.ContentTypes.Remove(type);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<System.Text.Json.Nodes.JsonObject> SchemaAsync(string slug, CancellationToken cancellationToken) =>
        schemas.For(await FindAsync(slug, tracking: false, cancellationToken)).Export;

    private async Task RefuseOrphansAsync(Guid typeId, ContentSchema candidate, CancellationToken cancellationToken)
    {
        var affected = new List<AffectedItem>();
        var count = 0;
        // In id order, a page at a time: a type may hold many items, and only the failures are kept.
        Guid? after = null;
        while (true)
        {
            var page = await db.ContentItems.AsNoTracking().Where(i => i.ContentTypeId == typeId && (after == null || i.Id > after))
                .OrderBy(i => i.Id).Take(500).Select(i => new { i.Id, i.Slug, i.Data, i.PublishedData }).ToListAsync(cancellationToken);
            foreach (var item in page)
            {
                var errors = new FieldErrors();
                using (var data = JsonDocument.Parse(item.Data))
                {
                    candidate.Validate(data.RootElement, errors);
                }
                if (item.PublishedData is { } published)
                {
                    using var live = JsonDocument.Parse(published);
                    candidate.Validate(live.RootElement, errors, path: "publishedData");
                }
                if (errors.Any && ++count <= MaxAffectedListed)
                {
                    affected.Add(new AffectedItem(item.Id, item.Slug, errors.ToDictionary()));
                }
            }
            if (page.Count < 500)
            {
                break;
            }
            after = page[^1].Id;
        }
        // Pages whose template this type is: their content must survive the change too.
        foreach (var page in await db.Pages.AsNoTracking().Where(p => p.TemplateId == typeId)
                     .Select(p => new { p.Id, p.Path, p.Content, p.PublishedContent }).ToListAsync(cancellationToken))
        {
            var errors = new FieldErrors();
            using (var content = JsonDocument.Parse(page.Content))
            {
                candidate.Validate(content.RootElement, errors, path: "content");
            }
            if (page.PublishedContent is { } published)
            {
                using var live = JsonDocument.Parse(published);
                candidate.Validate(live.RootElement, errors, path: "publishedContent");
            }
            if (errors.Any && ++count <= MaxAffectedListed)
            {
                affected.Add(new AffectedItem(page.Id, page.Path, errors.ToDictionary()));
            }
        }
        if (count > 0)
        {
            throw new ConflictException($"The change would leave {count} items or pages invalid; change their data first, or make the change compatible.", "schema_change_orphans_items")
            {
                Details = new Dictionary<string, object?> { ["affectedCount"] = count, ["affectedItems"] = affected },
            };
        }
    }

    private async Task CheckReferenceTypesAsync(IReadOnlyList<FieldDefinition> fields, string ownSlug, FieldErrors errors, CancellationToken cancellationToken)
    {
        var targets = FieldRules.ReferenceTypes(fields).ToList();
        if (targets.Count == 0)
        {
            return;
        }
        var names = targets.Select(t => t.Type).Distinct().ToList();
        var existing = await db.ContentTypes.Where(t => names.Contains(t.Slug)).Select(t => t.Slug).ToListAsync(cancellationToken);
        foreach (var (path, type) in targets)
        {
            errors.AddIf(type != ownSlug && !existing.Contains(type), path, $"No content type '{type}' exists.");
        }
        errors.ThrowIfAny();
    }

    public static ContentTypeDto ToDto(ContentType t) =>
        new(t.Id, t.Slug, t.Name, t.Description, t.RequiresReview, t.Fields, t.SchemaVersion, t.CreatedAt, t.UpdatedAt);
}
