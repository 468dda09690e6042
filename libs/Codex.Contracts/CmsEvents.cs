namespace Codex.Contracts;

// Content events name the item, its type's slug and its slug, so a consumer can evict caches and count
// without reading CMS. "Republished" tells a first publication from a newer version replacing a live one.
// ItemId is one locale's variant (Locale) of the item EntryId: each variant is created and published on its own.

[EventType("cms.content.created")]
public sealed record ContentCreated(string TenantId, Guid ItemId, string ContentType, string Slug, int Version, string? Locale = null, Guid? EntryId = null) : IIntegrationEvent;

/// <summary>
/// An item's draft or plans changed (<see cref="Change"/>): edited, rolled_back, submitted, rejected, restored,
/// publish_scheduled, unpublish_scheduled, schedule_cancelled.
/// </summary>
[EventType("cms.content.updated")]
public sealed record ContentUpdated(string TenantId, Guid ItemId, string ContentType, string Slug, int Version, string Status, string Change, string? Locale = null, Guid? EntryId = null) : IIntegrationEvent;

[EventType("cms.content.published")]
public sealed record ContentPublished(string TenantId, Guid ItemId, string ContentType, string Slug, int Version, bool Republished, string? Locale = null, Guid? EntryId = null) : IIntegrationEvent;

[EventType("cms.content.unpublished")]
public sealed record ContentUnpublished(string TenantId, Guid ItemId, string ContentType, string Slug, string? Locale = null, Guid? EntryId = null) : IIntegrationEvent;

[EventType("cms.content.archived")]
public sealed record ContentArchived(string TenantId, Guid ItemId, string ContentType, string Slug, string? Locale = null, Guid? EntryId = null) : IIntegrationEvent;

[EventType("cms.page.created")]
public sealed record PageCreated(string TenantId, Guid PageId, string Path) : IIntegrationEvent;

[EventType("cms.page.published")]
public sealed record PagePublished(string TenantId, Guid PageId, string Path, int Version, bool Republished) : IIntegrationEvent;

[EventType("cms.page.unpublished")]
public sealed record PageUnpublished(string TenantId, Guid PageId, string Path) : IIntegrationEvent;

[EventType("cms.page.deleted")]
public sealed record PageDeleted(string TenantId, Guid PageId, string Path, bool WasPublished) : IIntegrationEvent;

[EventType("cms.media.uploaded")]
public sealed record MediaUploaded(string TenantId, Guid MediaId, string FileName, string ContentType, long Bytes) : IIntegrationEvent;

[EventType("cms.media.deleted")]
public sealed record MediaDeleted(string TenantId, Guid MediaId, string FileName, long Bytes) : IIntegrationEvent;
