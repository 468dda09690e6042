using System.Text.Json;
using Codex.Cms.Infrastructure;
using Codex.Cms.Model;
using Codex.Cms.Schema;
using Microsoft.EntityFrameworkCore;

namespace Codex.Cms.Services;

/// <summary>Data as it will be stored (an item's, a page's): valid for its type, references resolved in the tenant, rich text sanitised.</summary>
public sealed class ContentValidation(CmsDbContext db, ContentSchemas schemas, MediaService media)
{
    /// <summary>Throws a 400 with <paramref name="errors"/> and every way <paramref name="data"/> breaks <paramref name="type"/>.</summary>
    public async Task<string> ValidatedAsync(ContentType type, JsonElement data, FieldErrors errors, string path, CancellationToken ct)
    {
        var schema = schemas.For(type);
        var references = new List<ItemReference>();
        schema.Validate(data, errors, references, path);
        errors.ThrowIfAny();
        if (references.Any(r => r.IsMedia))
        {
            var files = await media.ExistingAsync([.. references.Where(r => r.IsMedia).Select(r => r.ItemId).Distinct()], ct);
            foreach (var reference in references.Where(r => r.IsMedia && !files.Contains(r.ItemId)))
            {
                errors.Add(reference.Path, $"No media file '{reference.ItemId}' exists.");
            }
            errors.ThrowIfAny();
            references.RemoveAll(r => r.IsMedia);
        }
        if (references.Count > 0)
        {
            var ids = references.Select(r => r.ItemId).Distinct().ToList();
            var found = await db.ContentItems.AsNoTracking().Where(i => ids.Contains(i.Id)).Select(i => new { i.Id, Type = i.Type!.Slug }).ToDictionaryAsync(i => i.Id, i => i.Type, ct);
            foreach (var reference in references)
            {
                if (!found.TryGetValue(reference.ItemId, out var target))
                {
                    errors.Add(reference.Path, $"No item '{reference.ItemId}' exists.");
                }
                else if (reference.Type is { } wanted && wanted != target)
                {
                    errors.Add(reference.Path, $"The item is a '{target}'; this field refers to '{wanted}' items.");
                }
            }
            errors.ThrowIfAny();
        }
        return schema.Clean(data).ToJsonString();
    }

    // FOR SHARE: many writers at once, but not beside a schema change (which takes the row FOR UPDATE).
    public Task LockTypeAsync(Guid typeId, CancellationToken ct) =>
        db.Database.SqlQuery<int>($"SELECT 1 AS \"Value\" FROM content_types WHERE id = {typeId} FOR SHARE").ToListAsync(ct);
}
