namespace Codex.Cms.Model;

/// <summary>
/// What a tenant's items of one kind look like: a slug unique per tenant and the fields every item is validated
/// against. <see cref="SchemaVersion"/> counts field changes, so a compiled schema is cached per version.
/// </summary>
public sealed class ContentType : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }

    /// <summary>Items go through review: only a holder of <c>cms.content.approve</c> publishes them.</summary>
    public bool RequiresReview { get; set; }

    public IReadOnlyList<FieldDefinition> Fields { get; set; } = [];
    public int SchemaVersion { get; set; } = 1;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One field of a content type. <see cref="Min"/>/<see cref="Max"/> bound a text's length, a number's value and a
/// component's count; <see cref="Fields"/> are a component's own fields; <see cref="ReferenceType"/> restricts a
/// reference to items of one type.
/// </summary>
public sealed record FieldDefinition(
    string Name,
    string Kind,
    string? Label = null,
    bool Required = false,
    bool Localized = false,
    decimal? Min = null,
    decimal? Max = null,
    string? Pattern = null,
    IReadOnlyList<string>? Values = null,
    string? ReferenceType = null,
    IReadOnlyList<FieldDefinition>? Fields = null);

public static class FieldKinds
{
    public const string Text = "text";
    public const string RichText = "richText";
    public const string Number = "number";
    public const string Boolean = "boolean";
    public const string Date = "date";
    public const string Enum = "enum";
    public const string Media = "media";
    public const string Reference = "reference";
    public const string Component = "component";
    public const string Json = "json";

    public static readonly IReadOnlyList<string> All = [Text, RichText, Number, Boolean, Date, Enum, Media, Reference, Component, Json];
}
