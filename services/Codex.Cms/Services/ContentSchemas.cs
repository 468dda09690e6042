using Codex.Cms.Model;
using Codex.Cms.Schema;
using Microsoft.Extensions.Caching.Memory;

namespace Codex.Cms.Services;

/// <summary>Compiled schemas, one per type and schema version: compiling builds a JSON Schema per field, every write validates.</summary>
public sealed class ContentSchemas(IMemoryCache cache)
{
    public ContentSchema For(ContentType type) =>
        cache.GetOrCreate(("cms-schema", type.Id, type.SchemaVersion), entry =>
        {
            entry.SlidingExpiration = TimeSpan.FromMinutes(30);
            return ContentSchema.Compile(type);
        })!;
}
