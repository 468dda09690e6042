using System.ComponentModel.DataAnnotations;

namespace Codex.Cms.Contracts;

/// <summary>
/// A tenant's locales in order, each with the locale its reads fall back to, and the default every chain ends at.
/// A tenant that has configured none has one: <c>en</c>.
/// </summary>
public sealed record LocaleSettings([property: Required] string Default, [property: Required] IReadOnlyList<LocaleDefinition> Locales);

public sealed record LocaleDefinition([property: Required] string Code, string? Fallback = null);

/// <summary>One locale's variant of an item, as the item's variant list shows it.</summary>
public sealed record VariantDto(Guid Id, string Locale, string Status, int Version, int? PublishedVersion, DateTimeOffset UpdatedAt);

/// <summary>A new locale's variant of an item; without <see cref="Data"/>, it starts as a copy of the variant it is made from.</summary>
public sealed record CreateVariantRequest([property: Required] string Locale, System.Text.Json.JsonElement? Data = null);
