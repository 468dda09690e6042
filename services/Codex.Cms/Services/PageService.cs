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
/// The page tree: pages hang under a parent, ordered among siblings, each with a path unique in the tenant; moving
/// a page moves its subtree's paths with it. Content is validated against the page's template (a content type).
/// Publishing copies content and SEO fields for readers; the public route serves only those, cached in Redis.
/// </summary>
public sealed class PageService(
    CmsDbContext db, TenantContext tenant, ContentValidation validation, PageCache cache, IEventOutbox outbox, TimeProvider clock)
{
    public const int MaxKeywords = 20;

    public async Task<IReadOnlyList<PageNode>> TreeAsync(CancellationToken cancellationToken)
    {
        var pages = await db.Pages.AsNoTracking().OrderBy(p => p.Position).ThenBy(p => p.Slug)
            .Select(p => new { p.Id, p.ParentId, p.Slug, p.Path, p.Title, p.Position, Published = p.PublishedVersion != null }).ToListAsync(cancellationToken);
        var children = pages.ToLookup(p => p.ParentId);
        IReadOnlyList<PageNode> Level(Guid? parent) =>
            [.. children[parent].Select(p => new PageNode(p.Id, p.Slug, p.Path, p.Title, p.Position, p.Published, Level(p.Id)))];
        return Level(null);
    }

    public async Task<PageDto> GetAsync(Guid id, CancellationToken cancellationToken) =>
        ToDto(await db.Pages.AsNoTracking().Include(p => p.Template).FirstOrDefaultAsync(p => p.Id == id, cancellationToken) ?? throw NotFound(id));

    public Task<PageDto> CreateAsync(PageRequest request, CancellationToken cancellationToken) => db.InTransactionAsync(async ct =>
    {
        var (template, content) = await ValidatedAsync(request, ct);
        var parent = request.ParentId is { } parentId ? await FindAsync(parentId, ct) : null;
        var path = PathUnder(parent, request.Slug);
        await EnsurePathFreeAsync(path, null, ct);
        var now = clock.GetUtcNow();
        var page = new Page
        {
            Id = Guid.CreateVersion7(), TenantId = tenant.RequiredTenantId, ParentId = parent?.Id, Slug = request.Slug, Path = path,
            Position = request.Position ?? await NextPositionAsync(parent?.Id, ct), TemplateId = template.Id, Template = template, Content = content,
            Title = request.Title.Trim(), SeoTitle = request.SeoTitle, SeoDescription = request.SeoDescription, SeoKeywords = Keywords(request),
            CreatedAt = now, UpdatedAt = now,
        };
        db.Attach(template);
        db.Pages.Add(page);
        await outbox.SaveChangesAsync([new PageCreated(page.TenantId, page.Id, page.Path)], ct);
        return ToDto(page);
    }, cancellationToken);

    /// <summary>Replaces the page; a new parent or slug moves it and its subtree (a page never moves under itself).</summary>
    public async Task<PageDto> UpdateAsync(Guid id, PageRequest request, CancellationToken cancellationToken)
    {
        var (dto, moved) = await db.InTransactionAsync(async ct =>
        {
            var page = await FindAsync(id, ct);
            if (request.BaseVersion is { } baseVersion && baseVersion != page.Version)
            {
                throw new ConflictException($"The page is at version {page.Version}, not {baseVersion}: someone saved since; reload and merge.", "version_conflict");
            }
            var (template, content) = await ValidatedAsync(request, ct);
            var previousTemplate = page.TemplateId;
            db.Attach(template);
            page.Template = template;
            var parent = request.ParentId is { } parentId ? await FindAsync(parentId, ct) : null;
            if (parent is not null && (parent.Id == page.Id || parent.Path.StartsWith(page.Path + "/", StringComparison.Ordinal)))
            {
                throw new ValidationException("parentId", "A page cannot move under itself or one of its own pages.");
            }
            var path = PathUnder(parent, request.Slug);
            var moved = path != page.Path;
            if (moved)
            {
                await EnsurePathFreeAsync(path, page.Id, ct);
                // The subtree follows: slugs are [a-z0-9-], so the old path is a literal LIKE prefix.
                await db.Database.ExecuteSqlAsync($"""
                    UPDATE pages SET path = {path} || substr(path, {page.Path.Length + 1}) WHERE tenant_id = {page.TenantId} AND path LIKE {page.Path + "/%"}
                    """, ct);
            }
            var changed = moved || previousTemplate != template.Id || !JsonText.Same(page.Content, content) || page.Title != request.Title.Trim()
                          || page.SeoTitle != request.SeoTitle || page.SeoDescription != request.SeoDescription || !page.SeoKeywords.SequenceEqual(Keywords(request))
                          || page.ParentId != parent?.Id || (request.Position is { } p && p != page.Position);
            if (changed)
            {
                page.ParentId = parent?.Id;
                page.Slug = request.Slug;
                page.Path = path;
                page.Position = request.Position ?? page.Position;
                page.TemplateId = template.Id;
                page.Content = content;
                page.Title = request.Title.Trim();
                page.SeoTitle = request.SeoTitle;
                page.SeoDescription = request.SeoDescription;
                page.SeoKeywords = Keywords(request);
                page.Version++;
                page.UpdatedAt = clock.GetUtcNow();
                await db.SaveChangesAsync(ct);
            }
            return (ToDto(page), moved);
        }, cancellationToken);
        if (moved)
        {
            await cache.EvictAsync(tenant.RequiredTenantId);   // the published pages of the subtree answer at new paths now
        }
        return dto;
    }

    public async Task<PageDto> PublishAsync(Guid id, CancellationToken cancellationToken)
    {
        var dto = await db.InTransactionAsync(async ct =>
        {
            var page = await db.Pages.Include(p => p.Template).FirstOrDefaultAsync(p => p.Id == id, ct) ?? throw NotFound(id);
            if (page.PublishedVersion == page.Version)
            {
                throw new ConflictException("This version of the page is already published.", "invalid_transition");
            }
            var republished = page.PublishedVersion is not null;
            page.PublishedVersion = page.Version;
            page.PublishedContent = page.Content;
            page.PublishedMeta = JsonSerializer.Serialize(new PublishedMeta(page.Title, Seo(page)), FieldRules.Json);
            page.PublishedAt = clock.GetUtcNow();
            await outbox.SaveChangesAsync([new PagePublished(page.TenantId, page.Id, page.Path, page.Version, republished)], ct);
            return ToDto(page);
        }, cancellationToken);
        await cache.EvictAsync(tenant.RequiredTenantId);
        return dto;
    }

    public async Task<PageDto> UnpublishAsync(Guid id, CancellationToken cancellationToken)
    {
        var dto = await db.InTransactionAsync(async ct =>
        {
            var page = await db.Pages.Include(p => p.Template).FirstOrDefaultAsync(p => p.Id == id, ct) ?? throw NotFound(id);
            if (page.PublishedVersion is null)
            {
                throw new ConflictException("The page is not published.", "invalid_transition");
            }
            page.PublishedVersion = null;
            page.PublishedContent = null;
            page.PublishedMeta = null;
            page.PublishedAt = null;
            await outbox.SaveChangesAsync([new PageUnpublished(page.TenantId, page.Id, page.Path)], ct);
            return ToDto(page);
        }, cancellationToken);
        await cache.EvictAsync(tenant.RequiredTenantId);
        return dto;
    }

    /// <summary>Deletes a page without children (move or delete them first).</summary>
    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var wasPublished = await db.InTransactionAsync(async ct =>
        {
            var page = await FindAsync(id, ct);
            if (await db.Pages.AnyAsync(p => p.ParentId == id, ct))
            {
                throw new ConflictException("The page has pages under it; move or delete them first.", "page_has_children");
            }
            db.Pages.Remove(page);
            await outbox.SaveChangesAsync([new PageDeleted(page.TenantId, page.Id, page.Path, page.PublishedVersion is not null)], ct);
            return page.PublishedVersion is not null;
        }, cancellationToken);
        if (wasPublished)
        {
            await cache.EvictAsync(tenant.RequiredTenantId);
        }
    }

    /// <summary>A published page by tenant and path for anyone: from Redis when cached, else from the database (then cached).</summary>
    public async Task<string> PublicJsonAsync(string tenantId, string path, CancellationToken cancellationToken)
    {
        if (!TenantIds.IsValid(tenantId) || path.Length is 0 or > 1000)
        {
            throw new NotFoundException("No such page.", "page_not_found");
        }
        var (generation, cached) = await cache.GetAsync(tenantId, path);
        if (cached is not null)
        {
            return cached;
        }
        tenant.Set(tenantId);
        var row = await db.Pages.AsNoTracking().Where(p => p.Path == path && p.PublishedVersion != null)
            .Select(p => new { p.Path, p.PublishedContent, p.PublishedMeta, p.PublishedVersion, p.PublishedAt, Template = p.Template!.Slug })
            .FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("No such page.", "page_not_found");
        var meta = JsonSerializer.Deserialize<PublishedMeta>(row.PublishedMeta!, FieldRules.Json)!;
        var json = JsonSerializer.Serialize(
            new PublicPage(row.Path, meta.Title, row.Template, JsonSerializer.Deserialize<JsonElement>(row.PublishedContent!), meta.Seo, row.PublishedVersion!.Value, row.PublishedAt!.Value),
            FieldRules.Json);
        await cache.SetAsync(tenantId, generation, path, json);
        return json;
    }

    private async Task<(ContentType Template, string Content)> ValidatedAsync(PageRequest request, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.AddIf(!FieldRules.IsSlug(request.Slug), "slug", "A slug is lower-case letters and digits in words joined by hyphens (at most 100 characters).");
        var keywords = request.SeoKeywords ?? [];
        errors.AddIf(keywords.Count > MaxKeywords || keywords.Any(k => k is not { Length: > 0 and <= 50 }), "seoKeywords", $"Up to {MaxKeywords} keywords of 1 to 50 characters.");
        var template = await db.ContentTypes.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == request.Template, ct);
        if (template is null)
        {
            errors.Add("template", $"No content type '{request.Template}' exists to be the page's template.");
            errors.ThrowIfAny();
        }
        await validation.LockTypeAsync(template!.Id, ct);
        return (template, await validation.ValidatedAsync(template, request.Content, errors, "content", ct));
    }

    private static string PathUnder(Page? parent, string slug) => parent is null ? slug : $"{parent.Path}/{slug}";

    private async Task EnsurePathFreeAsync(string path, Guid? except, CancellationToken ct)
    {
        if (await db.Pages.AnyAsync(p => p.Path == path && p.Id != except, ct))
        {
            throw new ConflictException($"A page already has the path '{path}'.", "duplicate_path");
        }
    }

    private async Task<int> NextPositionAsync(Guid? parentId, CancellationToken ct) =>
        (await db.Pages.Where(p => p.ParentId == parentId).MaxAsync(p => (int?)p.Position, ct) ?? -1) + 1;

    private async Task<Page> FindAsync(Guid id, CancellationToken ct) => await db.Pages.FirstOrDefaultAsync(p => p.Id == id, ct) ?? throw NotFound(id);

    private static List<string> Keywords(PageRequest request) => [.. (request.SeoKeywords ?? []).Select(k => k.Trim())];

    private static PageSeo Seo(Page p) => new(p.SeoTitle, p.SeoDescription, p.SeoKeywords);

    private static NotFoundException NotFound(Guid id) => new($"Page '{id}' was not found.", "page_not_found");

    private static PageDto ToDto(Page p) => new(
        p.Id, p.ParentId, p.Slug, p.Path, p.Position, p.Title, p.Template!.Slug, JsonSerializer.Deserialize<JsonElement>(p.Content), Seo(p),
        p.Version, p.PublishedVersion, p.PublishedAt, p.CreatedAt, p.UpdatedAt);

    private sealed record PublishedMeta(string Title, PageSeo Seo);
}
