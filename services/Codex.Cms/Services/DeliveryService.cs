using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Codex.Cms.Contracts;
using Codex.Cms.Infrastructure;
using Codex.Cms.Model;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;
using Npgsql;

namespace Codex.Cms.Services;

/// <summary>
/// Reading content as a site or app does: published copies only (preview: working copies, archived left out),
/// filtered and sorted on the item's JSON fields in SQL, keyset-paged on (sort value, id). Field names and values
/// reach the SQL as parameters only, after <see cref="DeliveryQuery"/> has matched them to the type. Each item is
/// read in the asked locale, or the first locale of its fallback chain it has a (published) variant in.
/// </summary>
public sealed class DeliveryService(CmsDbContext db, TenantContext tenant, ContentTypeService types, LocaleService locales, IMemoryCache cache)
{
    /// <summary>How long a type read for delivery is reused: a changed type reaches the delivery's parameter checks within it.</summary>
    public static readonly TimeSpan TypeLifetime = TimeSpan.FromSeconds(5);

    // Delivery is the hot read path: the type (to check the query's fields) comes from memory, not a round trip per request.
    private Task<ContentType> TypeAsync(string slug, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(("cms-delivery-type", tenant.RequiredTenantId, slug), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TypeLifetime;
            return types.FindAsync(slug, tracking: false, cancellationToken);
        })!;

    public async Task<KeysetPage<DeliveredItem>> ListAsync(string typeSlug, IReadOnlyDictionary<string, StringValues> queryString, bool preview, CancellationToken cancellationToken)
    {
        var type = await TypeAsync(typeSlug, cancellationToken);
        var query = DeliveryQuery.Parse(queryString, type);
        var chain = await locales.ChainAsync(query.Locale, cancellationToken);
        var data = preview ? "i.data" : "i.published_data";
        var parameters = new List<NpgsqlParameter> { new("tenant", tenant.RequiredTenantId), new("type", type.Id), new("take", query.Limit + 1), new("chain", chain.ToArray()) };
        var sort = SortExpression(query.Sort, data, preview, parameters);
        string Visible(string alias) => $"{alias}.tenant_id = @tenant AND {alias}.content_type_id = @type AND {(preview ? $"{alias}.status <> 'archived'" : $"{alias}.published_version IS NOT NULL")}";
        // One locale: its variants. A chain: per item, the variant in the first of its locales that has one.
        var source = chain.Count == 1
            ? $"content_items i WHERE {Visible("i")} AND i.locale = (@chain)[1]"
            : $"(SELECT DISTINCT ON (c.entry_id) c.* FROM content_items c WHERE {Visible("c")} AND c.locale = ANY(@chain) ORDER BY c.entry_id, array_position(@chain, c.locale)) i WHERE true";
        var sql = new StringBuilder($"""
            SELECT i.id, i.entry_id, i.locale, i.slug, i.status, {(preview ? "i.version" : "i.published_version")} AS version,
                   i.published_at, {data}::text AS data, ({sort})::text AS sort_value
            FROM {source}
            """);
        for (var n = 0; n < query.Filters.Count; n++)
        {
            sql.Append(" AND ").Append(FilterExpression(query.Filters[n], data, n, parameters));
        }
        var direction = query.Sort.Descending ? "DESC" : "ASC";
        if (query.After is { } after)
        {
            var cast = query.Sort.Kind switch { "timestamp" => "timestamptz", FieldKinds.Number => "numeric", _ => "text" };
            sql.Append($" AND ({sort}, i.id) {(query.Sort.Descending ? "<" : ">")} (CAST(@after AS {cast}), @afterId)");
            parameters.Add(new NpgsqlParameter("after", (object?)after.Value ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            parameters.Add(new NpgsqlParameter("afterId", after.Id));
        }
        sql.Append($" ORDER BY {sort} {direction}, i.id {direction} LIMIT @take");

        var rows = await db.Database.SqlQueryRaw<DeliveryRow>(sql.ToString(), [.. parameters]).ToListAsync(cancellationToken);
        var cursorKey = DeliveryCursor.Key(query.Sort);
        return KeysetCursor.PageBy(rows, query.Limit, row => new DeliveryCursor(cursorKey, row.SortValue, row.Id).Encode(), row => ToItem(row, type, query.Fields));
    }

    public async Task<DeliveredItem> GetAsync(string typeSlug, string slug, string? locale, bool preview, CancellationToken cancellationToken)
    {
        var type = await TypeAsync(typeSlug, cancellationToken);
        var chain = await locales.ChainAsync(locale, cancellationToken);
        var variants = await db.ContentItems.AsNoTracking()
            .Where(i => i.ContentTypeId == type.Id && i.Slug == slug && chain.Contains(i.Locale) && (preview ? i.Status != ContentStatuses.Archived : i.PublishedVersion != null))
            .ToListAsync(cancellationToken);
        var order = chain.ToList();
        var item = variants.MinBy(i => order.IndexOf(i.Locale))
                   ?? throw new NotFoundException($"No {(preview ? "" : "published ")}'{typeSlug}' item has the slug '{slug}' in {string.Join(" or ", chain)}.", "content_item_not_found");
        return ToItem(new DeliveryRow
        {
            Id = item.Id, EntryId = item.EntryId, Locale = item.Locale, Slug = item.Slug, Status = item.Status, Version = preview ? item.Version : item.PublishedVersion!.Value,
            PublishedAt = item.PublishedAt, Data = preview ? item.Data : item.PublishedData!,
        }, type, null);
    }

    private static string SortExpression(DeliverySort sort, string data, bool preview, List<NpgsqlParameter> parameters)
    {
        if (sort.BuiltIn)
        {
            return sort.Name == "slug" ? "i.slug" : preview ? "i.updated_at" : "i.published_at";
        }
        parameters.Add(new NpgsqlParameter("sortField", sort.Name));
        // A missing value sorts first (ascending): the same expression orders, pages and makes the cursor.
        return sort.Kind == FieldKinds.Number
            ? $"COALESCE(({data} ->> @sortField)::numeric, '-Infinity'::numeric)"
            : $"COALESCE({data} ->> @sortField, '')";
    }

    private static string FilterExpression(DeliveryFilter filter, string data, int n, List<NpgsqlParameter> parameters)
    {
        parameters.Add(new NpgsqlParameter($"f{n}", filter.Field));
        var value = filter.Operator == "contains" ? $"%{Escape((string)filter.Value)}%" : filter.Value;
        parameters.Add(new NpgsqlParameter($"v{n}", value));
        var field = filter.Kind == FieldKinds.Number ? $"({data} ->> @f{n})::numeric" : $"({data} ->> @f{n})";
        return filter.Operator switch
        {
            "eq" => $"{field} = @v{n}",
            "ne" => $"{field} IS DISTINCT FROM @v{n}",
            "gt" => $"{field} > @v{n}",
            "gte" => $"{field} >= @v{n}",
            "lt" => $"{field} < @v{n}",
            "lte" => $"{field} <= @v{n}",
            _ => $"{field} ILIKE @v{n}",
        };
    }

    private static string Escape(string text) => text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);

    private static DeliveredItem ToItem(DeliveryRow row, ContentType type, IReadOnlySet<string>? fields)
    {
        var data = row.Data;
        if (fields is not null)
        {
            var all = JsonNode.Parse(row.Data)!.AsObject();
            var kept = new JsonObject();
            foreach (var (name, value) in all.Where(p => fields.Contains(p.Key)).ToList())
            {
                all.Remove(name);
                kept[name] = value;
            }
            data = kept.ToJsonString();
        }
        return new DeliveredItem(row.Id, type.Slug, row.Slug, row.Version, row.Status, row.PublishedAt, new RawJson(data), row.Locale, row.EntryId);
    }

    public sealed class DeliveryRow
    {
        public Guid Id { get; set; }
        public Guid EntryId { get; set; }
        public string Locale { get; set; } = "";
        public string Slug { get; set; } = "";
        public string Status { get; set; } = "";
        public int Version { get; set; }
        public DateTimeOffset? PublishedAt { get; set; }
        public string Data { get; set; } = "";
        public string? SortValue { get; set; }
    }
}
