using System.Text.Json;

namespace Codex.Cms.Contracts;

/// <summary>An item as readers get it: the published copy (or, in preview, the working copy), trimmed to the fields asked for.</summary>
public sealed record DeliveredItem(Guid Id, string Type, string Slug, int Version, string Status, DateTimeOffset? PublishedAt, JsonElement Data);
