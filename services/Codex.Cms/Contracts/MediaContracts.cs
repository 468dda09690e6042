namespace Codex.Cms.Contracts;

/// <summary>An uploaded file: its sniffed type, size, hash and, for images, displayed size; where to read it and its thumbnail.</summary>
public sealed record MediaDto(
    Guid Id, string FileName, string ContentType, long Bytes, string Sha256, int? Width, int? Height, string? AltText, string? Caption,
    string Url, string? ThumbnailUrl, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, Guid? CreatedBy);

/// <summary>The editable words of a file (null: none).</summary>
public sealed record UpdateMediaRequest(string? AltText, string? Caption);

/// <summary>A tenant's upload rules: a size limit per file and the types taken (of image/jpeg, image/png, image/gif, image/webp, application/pdf, video/mp4).</summary>
public sealed record MediaSettingsDto(long MaxBytes, IReadOnlyList<string> AllowedTypes);
