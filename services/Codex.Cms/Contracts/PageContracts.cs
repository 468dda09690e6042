using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Codex.Cms.Contracts;

/// <summary>
/// A page: its slug (one path segment), title, template (a content type's slug) and content validated against it,
/// where it hangs (<see cref="ParentId"/>, <see cref="Position"/> among siblings, default last) and its SEO fields.
/// On update, <see cref="BaseVersion"/> refuses a save over someone else's newer version.
/// </summary>
public sealed record PageRequest(
    [property: Required] string Slug,
    [property: Required, StringLength(200, MinimumLength = 1)] string Title,
    [property: Required] string Template,
    JsonElement Content,
    Guid? ParentId = null,
    [property: Range(0, 100_000)] int? Position = null,
    [property: StringLength(200)] string? SeoTitle = null,
    [property: StringLength(1000)] string? SeoDescription = null,
    IReadOnlyList<string>? SeoKeywords = null,
    int? BaseVersion = null);

public sealed record PageSeo(string? Title, string? Description, IReadOnlyList<string> Keywords);

public sealed record PageDto(
    Guid Id, Guid? ParentId, string Slug, string Path, int Position, string Title, string Template, JsonElement Content, PageSeo Seo,
    int Version, int? PublishedVersion, DateTimeOffset? PublishedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A node of the page tree, children in order.</summary>
public sealed record PageNode(Guid Id, string Slug, string Path, string Title, int Position, bool Published, IReadOnlyList<PageNode> Children);

/// <summary>A published page as the public route serves it.</summary>
public sealed record PublicPage(string Path, string Title, string Template, JsonElement Content, PageSeo Seo, int Version, DateTimeOffset PublishedAt);
