namespace Codex.Cms.Model;

/// <summary>
/// An uploaded file. <see cref="ContentType"/> is what its bytes are (sniffed), <see cref="Sha256"/> their hash (the
/// ETag); images have their displayed size and a thumbnail. The bytes never change: only alt text and caption do.
/// </summary>
public sealed class MediaAsset : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Bytes { get; set; }
    public required string Sha256 { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    public required string StorageKey { get; set; }
    public string? ThumbnailKey { get; set; }
    public string? AltText { get; set; }
    public string? Caption { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
}

/// <summary>What a tenant's uploads may be: at most <see cref="MaxBytes"/> each, of the <see cref="AllowedTypes"/>.</summary>
public sealed class MediaSettings : ITenantOwned
{
    public required string TenantId { get; set; }
    public long MaxBytes { get; set; }
    public List<string> AllowedTypes { get; set; } = [];
}
