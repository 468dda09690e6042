namespace Codex.Cms.Model;

/// <summary>
/// One item of a content type. <see cref="Data"/> is the working copy (JSON, validated against the type on every
/// write); what readers see is <see cref="PublishedData"/>, the copy of <see cref="PublishedVersion"/>, so an edit of
/// a live item changes nothing for them until it is published in turn.
/// A row is one locale's variant of an item: the variants of an item share <see cref="EntryId"/> (the first variant's
/// id), its slug and its non-localised fields, and each has its own versions and is published on its own.
/// </summary>
public sealed class ContentItem : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public Guid ContentTypeId { get; set; }

    /// <summary>The item this variant belongs to: the id of its first variant.</summary>
    public Guid EntryId { get; set; }

    public required string Locale { get; set; }
    public required string Slug { get; set; }
    public required string Status { get; set; }
    public required string Data { get; set; }

    /// <summary>The working copy's version: the newest revision's number.</summary>
    public int Version { get; set; }

    public int? PublishedVersion { get; set; }
    public string? PublishedData { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }

    /// <summary>When the scheduler publishes the working copy (cleared by an edit: what was approved is what goes live).</summary>
    public DateTimeOffset? PublishAt { get; set; }

    /// <summary>When the scheduler takes the live copy down.</summary>
    public DateTimeOffset? UnpublishAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
    public Guid? UpdatedBy { get; set; }

    /// <summary>PostgreSQL's xmin: two editors saving the same item cannot both win.</summary>
    public uint RowVersion { get; set; }

    public ContentType? Type { get; set; }
}

/// <summary>A saved version of an item: every create, edit and rollback adds one, numbered from 1 per item.</summary>
public sealed class ContentRevision : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public Guid ItemId { get; set; }
    public int Version { get; set; }
    public required string Slug { get; set; }
    public required string Data { get; set; }

    /// <summary>Why it was saved: <c>created</c>, <c>edited</c> or <c>rolled back to N</c>.</summary>
    public required string Note { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
}

public static class ContentStatuses
{
    public const string Draft = "draft";
    public const string InReview = "in_review";
    public const string Published = "published";
    public const string Archived = "archived";

    public static readonly IReadOnlyList<string> All = [Draft, InReview, Published, Archived];
}
