using Codex.Cms.Contracts;
using Codex.Cms.Infrastructure;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Cms.Services;

/// <summary>CMS's figures for one tenant from its own tables: what Platform reconciles its summary against.</summary>
public sealed class SummaryService(CmsDbContext db, TenantContext tenant)
{
    public async Task<CmsSummary> ForTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        tenant.Set(tenantId);
        var items = await db.ContentItems.CountAsync(cancellationToken);
        var published = await db.ContentItems.CountAsync(i => i.PublishedVersion != null, cancellationToken);
        var pages = await db.Pages.CountAsync(cancellationToken);
        var publishedPages = await db.Pages.CountAsync(p => p.PublishedVersion != null, cancellationToken);
        var mediaBytes = await db.Media.SumAsync(m => (long?)m.Bytes, cancellationToken) ?? 0;
        return new CmsSummary(items, published, pages, publishedPages, mediaBytes);
    }
}
