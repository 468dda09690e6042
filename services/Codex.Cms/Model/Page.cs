namespace Codex.Cms.Model;

/// <summary>
/// A page of a tenant's site: a node of a tree (parent, position among siblings) whose <see cref="Path"/> is its
/// ancestors' slugs and its own, unique per tenant. Its <see cref="Content"/> is page-builder JSON validated against
/// its template, a content type; readers get <see cref="PublishedContent"/>, the copy made when it was published.
/// </summary>
public sealed class Page : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public Guid? ParentId { get; set; }
    public required string Slug { get; set; }
    public required string Path { get; set; }
    public int Position { get; set; }
    public Guid TemplateId { get; set; }
    public required string Content { get; set; }
    public required string Title { get; set; }
    public string? SeoTitle { get; set; }
    public string? SeoDescription { get; set; }
    public List<string> SeoKeywords { get; set; } = [];
    public int Version { get; set; } = 1;
    public int? PublishedVersion { get; set; }
    public string? PublishedContent { get; set; }

    /// <summary>The SEO fields and title as published, so an edit changes nothing for readers until it is published.</summary>
    public string? PublishedMeta { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint RowVersion { get; set; }

    public ContentType? Template { get; set; }
}
