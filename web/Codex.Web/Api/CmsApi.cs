using System.Text.Json;

namespace Codex.Web.Api;

public sealed record CmsField(
    string Name, string Kind, string? Label = null, bool Required = false, bool Localized = false, decimal? Min = null, decimal? Max = null,
    string? Pattern = null, IReadOnlyList<string>? Values = null, string? ReferenceType = null, IReadOnlyList<CmsField>? Fields = null);

public sealed record CmsType(Guid Id, string Slug, string Name, string? Description, bool RequiresReview, IReadOnlyList<CmsField> Fields, int SchemaVersion);

public sealed record CmsItem(
    Guid Id, string Type, string Slug, string Status, int Version, int? PublishedVersion, DateTimeOffset? PublishedAt, JsonElement Data,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PublishAt, DateTimeOffset? UnpublishAt, string Locale, Guid EntryId);

public sealed record CmsVariant(Guid Id, string Locale, string Status, int Version, int? PublishedVersion, DateTimeOffset UpdatedAt);

public sealed record CmsRevision(int Version, string Slug, string Note, DateTimeOffset CreatedAt);

public sealed record CmsFieldChange(string Field, string Change, JsonElement? Before, JsonElement? After);

public sealed record CmsSlugChange(string Before, string After);

public sealed record CmsDiff(int From, int To, CmsSlugChange? Slug, IReadOnlyList<CmsFieldChange> Changes);

public sealed record CmsLocale(string Code, string? Fallback);

public sealed record CmsLocales(string Default, IReadOnlyList<CmsLocale> Locales);

public sealed record CmsMedia(
    Guid Id, string FileName, string ContentType, long Bytes, int? Width, int? Height, string? AltText, string? Caption, string? ThumbnailUrl, DateTimeOffset CreatedAt);

public sealed record CmsPageNode(Guid Id, string Slug, string Path, string Title, int Position, bool Published, IReadOnlyList<CmsPageNode> Children);

public sealed record CmsPageSeo(string? Title, string? Description, IReadOnlyList<string> Keywords);

public sealed record CmsSitePage(
    Guid Id, Guid? ParentId, string Slug, string Path, int Position, string Title, string Template, JsonElement Content, CmsPageSeo Seo,
    int Version, int? PublishedVersion, DateTimeOffset? PublishedAt, DateTimeOffset UpdatedAt);

/// <summary>A page as the console writes it: content as the template's fields, SEO keywords as a list.</summary>
public sealed record CmsPageWrite(
    string Slug, string Title, string Template, JsonElement Content, Guid? ParentId, string? SeoTitle, string? SeoDescription, IReadOnlyList<string> SeoKeywords,
    int? BaseVersion = null);

public sealed record KeysetList<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>CMS's editorial routes in the signed-in user's tenant, through the gateway.</summary>
public sealed class CmsApi(GatewayApi gateway)
{
    private const string Base = "/api/v1/cms";

    public Task<List<CmsType>> TypesAsync(CancellationToken cancellationToken = default) => gateway.GetAsync<List<CmsType>>($"{Base}/types", cancellationToken);

    public Task<CmsType> TypeAsync(string slug, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<CmsType>($"{Base}/types/{Uri.EscapeDataString(slug)}", cancellationToken);

    public Task<CmsType> CreateTypeAsync(string slug, string name, bool requiresReview, IReadOnlyList<CmsField> fields, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<CmsType>(HttpMethod.Post, $"{Base}/types", new { slug, name, requiresReview, fields }, cancellationToken);

    public Task<CmsType> UpdateTypeAsync(string slug, string name, bool requiresReview, IReadOnlyList<CmsField> fields, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<CmsType>(HttpMethod.Put, $"{Base}/types/{Uri.EscapeDataString(slug)}", new { name, requiresReview, fields }, cancellationToken);

    public Task DeleteTypeAsync(string slug, CancellationToken cancellationToken = default) =>
        gateway.SendAsync(HttpMethod.Delete, $"{Base}/types/{Uri.EscapeDataString(slug)}", null, cancellationToken);

    public Task<CmsLocales> SaveLocalesAsync(CmsLocales locales, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<CmsLocales>(HttpMethod.Put, $"{Base}/locales", locales, cancellationToken);

    public Task<CmsLocales> LocalesAsync(CancellationToken cancellationToken = default) => gateway.GetAsync<CmsLocales>($"{Base}/locales", cancellationToken);

    public Task<KeysetList<CmsItem>> ItemsAsync(string? type, string? status, string? cursor, int limit = 50, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<KeysetList<CmsItem>>(
            $"{Base}/items?limit={limit}{Query.Optional("type", type)}{Query.Optional("status", status)}{Query.Optional("cursor", cursor)}", cancellationToken);

    public Task<CmsItem> ItemAsync(Guid id, CancellationToken cancellationToken = default) => gateway.GetAsync<CmsItem>($"{Base}/items/{id}", cancellationToken);

    public Task<CmsItem> CreateItemAsync(string type, string slug, string? locale, JsonElement data, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<CmsItem>(HttpMethod.Post, $"{Base}/items", new { type, slug, locale, data }, cancellationToken);

    public Task<CmsItem> UpdateItemAsync(Guid id, string slug, JsonElement data, int baseVersion, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<CmsItem>(HttpMethod.Put, $"{Base}/items/{id}", new { slug, data, baseVersion }, cancellationToken);

    /// <summary>submit, approve, reject, publish, unpublish, archive or restore; <paramref name="at"/> schedules publish, approve and unpublish.</summary>
    public Task<CmsItem> MoveAsync(Guid id, string action, DateTimeOffset? at = null, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<CmsItem>(HttpMethod.Post, $"{Base}/items/{id}/{action}", new { at }, cancellationToken);

    public Task<CmsItem> CancelScheduleAsync(Guid id, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<CmsItem>(HttpMethod.Delete, $"{Base}/items/{id}/schedule", null, cancellationToken);

    public Task<List<CmsVariant>> VariantsAsync(Guid id, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<List<CmsVariant>>($"{Base}/items/{id}/variants", cancellationToken);

    public Task<CmsItem> CreateVariantAsync(Guid id, string locale, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<CmsItem>(HttpMethod.Post, $"{Base}/items/{id}/variants", new { locale }, cancellationToken);

    public Task<List<CmsRevision>> VersionsAsync(Guid id, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<List<CmsRevision>>($"{Base}/items/{id}/versions", cancellationToken);

    public Task<CmsDiff> DiffAsync(Guid id, int from, int to, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<CmsDiff>($"{Base}/items/{id}/diff?from={from}&to={to}", cancellationToken);

    public Task<CmsItem> RollbackAsync(Guid id, int version, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<CmsItem>(HttpMethod.Post, $"{Base}/items/{id}/rollback", new { version }, cancellationToken);

    public Task<CmsMedia> UploadMediaAsync(Stream file, string fileName, string? altText, string? caption, CancellationToken cancellationToken = default) =>
        gateway.UploadAsync<CmsMedia>(
            $"{Base}/media?fileName={Uri.EscapeDataString(fileName)}{Query.Optional("altText", altText)}{Query.Optional("caption", caption)}", file, cancellationToken);

    public Task<CmsMedia> UpdateMediaAsync(Guid id, string? altText, string? caption, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<CmsMedia>(HttpMethod.Put, $"{Base}/media/{id}", new { altText, caption }, cancellationToken);

    public Task DeleteMediaAsync(Guid id, CancellationToken cancellationToken = default) =>
        gateway.SendAsync(HttpMethod.Delete, $"{Base}/media/{id}", null, cancellationToken);

    /// <summary>A file's thumbnail as CMS serves it; the caller streams and disposes the answer.</summary>
    public Task<HttpResponseMessage> ThumbnailAsync(Guid id, CancellationToken cancellationToken = default) =>
        gateway.GetRawAsync($"{Base}/media/{id}/thumbnail", cancellationToken);

    public Task<List<CmsPageNode>> PageTreeAsync(CancellationToken cancellationToken = default) =>
        gateway.GetAsync<List<CmsPageNode>>($"{Base}/pages", cancellationToken);

    public Task<CmsSitePage> PageAsync(Guid id, CancellationToken cancellationToken = default) => gateway.GetAsync<CmsSitePage>($"{Base}/pages/{id}", cancellationToken);

    public Task<CmsSitePage> CreatePageAsync(CmsPageWrite page, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<CmsSitePage>(HttpMethod.Post, $"{Base}/pages", page, cancellationToken);

    public Task<CmsSitePage> UpdatePageAsync(Guid id, CmsPageWrite page, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<CmsSitePage>(HttpMethod.Put, $"{Base}/pages/{id}", page, cancellationToken);

    /// <summary>publish or unpublish.</summary>
    public Task<CmsSitePage> MovePageAsync(Guid id, string action, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<CmsSitePage>(HttpMethod.Post, $"{Base}/pages/{id}/{action}", new { }, cancellationToken);

    public Task DeletePageAsync(Guid id, CancellationToken cancellationToken = default) =>
        gateway.SendAsync(HttpMethod.Delete, $"{Base}/pages/{id}", null, cancellationToken);

    public Task<KeysetList<CmsMedia>> MediaAsync(string? type = null, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<KeysetList<CmsMedia>>($"{Base}/media?limit=100{Query.Optional("type", type)}", cancellationToken);
}
