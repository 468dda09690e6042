using System.ComponentModel.DataAnnotations;
using Codex.Cms.Model;

namespace Codex.Cms.Contracts;

/// <summary>A new content type: a slug unique in the tenant (lower-case words joined by hyphens) and its fields.</summary>
public sealed record CreateContentTypeRequest(
    [property: Required] string Slug,
    [property: Required, StringLength(200, MinimumLength = 1)] string Name,
    [property: Required] IReadOnlyList<FieldDefinition> Fields,
    [property: StringLength(2000)] string? Description = null,
    bool RequiresReview = false);

/// <summary>Replaces a type's name, description, review rule and fields; refused while it would orphan items' data.</summary>
public sealed record UpdateContentTypeRequest(
    [property: Required, StringLength(200, MinimumLength = 1)] string Name,
    [property: Required] IReadOnlyList<FieldDefinition> Fields,
    [property: StringLength(2000)] string? Description = null,
    bool RequiresReview = false);

public sealed record ContentTypeDto(
    Guid Id, string Slug, string Name, string? Description, bool RequiresReview, IReadOnlyList<FieldDefinition> Fields, int SchemaVersion,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>An item (its slug) or a page (its path) that a schema change would leave invalid, and why.</summary>
public sealed record AffectedItem(Guid Id, string Slug, IDictionary<string, string[]> Errors);
