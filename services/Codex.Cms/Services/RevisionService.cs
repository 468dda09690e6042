using System.Text.Json;
using Codex.Cms.Contracts;
using Codex.Cms.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Codex.Cms.Services;

/// <summary>An item's versions, newest first, and what changed between any two of them, field by field.</summary>
public sealed class RevisionService(CmsDbContext db)
{
    public async Task<IReadOnlyList<RevisionDto>> ListAsync(Guid itemId, CancellationToken cancellationToken)
    {
        await EnsureItemAsync(itemId, cancellationToken);
        return await db.Revisions.AsNoTracking().Where(r => r.ItemId == itemId).OrderByDescending(r => r.Version)
            .Select(r => new RevisionDto(r.Version, r.Slug, r.Note, r.CreatedAt, r.CreatedBy, null)).ToListAsync(cancellationToken);
    }

    public async Task<RevisionDto> GetAsync(Guid itemId, int version, CancellationToken cancellationToken)
    {
        await EnsureItemAsync(itemId, cancellationToken);
        var r = await db.Revisions.AsNoTracking().FirstOrDefaultAsync(r => r.ItemId == itemId && r.Version == version, cancellationToken)
                ?? throw new NotFoundException($"Item '{itemId}' has no version {version}.", "version_not_found");
        return new RevisionDto(r.Version, r.Slug, r.Note, r.CreatedAt, r.CreatedBy, JsonSerializer.Deserialize<JsonElement>(r.Data));
    }

    public async Task<ItemDiff> DiffAsync(Guid itemId, int from, int to, CancellationToken cancellationToken)
    {
        var before = await GetAsync(itemId, from, cancellationToken);
        var after = await GetAsync(itemId, to, cancellationToken);
        return new ItemDiff(from, to, before.Slug == after.Slug ? null : new SlugChange(before.Slug, after.Slug), Compare(before.Data!.Value, after.Data!.Value));
    }

    /// <summary>Top-level fields in the newer version's order, then the ones only the older has.</summary>
    public static IReadOnlyList<FieldChange> Compare(JsonElement before, JsonElement after)
    {
        var changes = new List<FieldChange>();
        foreach (var field in after.EnumerateObject())
        {
            if (!before.TryGetProperty(field.Name, out var old))
            {
                changes.Add(new FieldChange(field.Name, "added", null, field.Value));
            }
            else if (!JsonElement.DeepEquals(old, field.Value))
            {
                changes.Add(new FieldChange(field.Name, "changed", old, field.Value));
            }
        }
        foreach (var field in before.EnumerateObject().Where(f => !after.TryGetProperty(f.Name, out _)))
        {
            changes.Add(new FieldChange(field.Name, "removed", field.Value, null));
        }
        return changes;
    }

    private async Task EnsureItemAsync(Guid itemId, CancellationToken cancellationToken)
    {
        if (!await db.ContentItems.AnyAsync(i => i.Id == itemId, cancellationToken))
        {
            throw ContentItemService.NotFound(itemId);
        }
    }
}
