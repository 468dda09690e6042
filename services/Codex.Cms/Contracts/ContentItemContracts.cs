using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Codex.Cms.Contracts;

/// <summary>A new item of the type <see cref="Type"/> (its slug); it starts as a draft at version 1.</summary>
/// <see cref="Locale"/>: the first variant's locale (none: the tenant's default).
public sealed record CreateItemRequest([property: Required] string Type, [property: Required] string Slug, JsonElement Data, string? Locale = null);

/// <summary>
/// The item's new slug and data, saved as a new version. <see cref="BaseVersion"/>, when given, is the version the
/// editor started from: a save over someone else's newer version is refused (409) instead of silently replacing it.
/// </summary>
public sealed record UpdateItemRequest([property: Required] string Slug, JsonElement Data, int? BaseVersion = null);

public sealed record RollbackRequest([property: Range(1, int.MaxValue)] int Version);

public sealed record ItemDto(
    Guid Id, string Type, string Slug, string Status, int Version, int? PublishedVersion, DateTimeOffset? PublishedAt,
    JsonElement Data, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, Guid? CreatedBy, Guid? UpdatedBy,
    DateTimeOffset? PublishAt = null, DateTimeOffset? UnpublishAt = null, string Locale = "", Guid EntryId = default);

/// <summary>Publish, approve or unpublish at <see cref="At"/> instead of now (a time in the past or none: now).</summary>
public sealed record ScheduleRequest(DateTimeOffset? At = null);

public sealed record RevisionDto(int Version, string Slug, string Note, DateTimeOffset CreatedAt, Guid? CreatedBy, JsonElement? Data = null);

/// <summary>What changed from version <see cref="From"/> to <see cref="To"/>: the slug, and field by field.</summary>
public sealed record ItemDiff(int From, int To, SlugChange? Slug, IReadOnlyList<FieldChange> Changes);

public sealed record SlugChange(string Before, string After);

/// <summary><see cref="Change"/>: <c>added</c>, <c>removed</c> or <c>changed</c>.</summary>
public sealed record FieldChange(string Field, string Change, JsonElement? Before, JsonElement? After);

/// <summary>CMS's figures for one tenant, from its own tables: what Platform reconciles against.</summary>
public sealed record CmsSummary(int ContentItems, int PublishedItems, int Pages, int PublishedPages, long MediaBytes);
