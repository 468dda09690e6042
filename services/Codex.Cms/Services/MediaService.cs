using System.Security.Cryptography;
using Codex.Cms.Contracts;
using Codex.Cms.Infrastructure;
using Codex.Cms.Media;
using Codex.Cms.Model;
using Codex.Contracts;
using Codex.Messaging.Outbox;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Cms.Services;

/// <summary>
/// The media library. An upload is streamed to a temporary file (counted against the tenant's limit and hashed on
/// the way), its type sniffed from its bytes, images decoded for their size and a thumbnail, then stored; the row
/// and its event are written in one transaction after the bytes are safe, and the bytes are removed again if that
/// transaction fails, so nothing acknowledged is lost and nothing unrecorded stays.
/// </summary>
public sealed class MediaService(
    CmsDbContext db, TenantContext tenant, IMediaStorage storage, IEventOutbox outbox, TimeProvider clock, ILogger<MediaService> logger)
{
    public const int MaxFileNameLength = 255;
    public const int MaxAltTextLength = 500;
    public const int MaxCaptionLength = 2000;
    public const int MaxLimit = 100;
    public const long DefaultMaxBytes = 10 * 1024 * 1024;

    public static readonly IReadOnlyList<string> DefaultTypes = [MediaSniffer.Jpeg, MediaSniffer.Png, MediaSniffer.Gif, MediaSniffer.Webp, MediaSniffer.Pdf];

    public async Task<MediaSettingsDto> GetSettingsAsync(CancellationToken cancellationToken) =>
        await db.MediaSettings.AsNoTracking().Select(s => new MediaSettingsDto(s.MaxBytes, s.AllowedTypes)).FirstOrDefaultAsync(cancellationToken)
        ?? new MediaSettingsDto(DefaultMaxBytes, DefaultTypes);

    public Task<MediaSettingsDto> SaveSettingsAsync(MediaSettingsDto request, CancellationToken cancellationToken) => db.InTransactionAsync(async ct =>
    {
        var errors = new FieldErrors();
        errors.AddIf(request.MaxBytes is < 1 or > RequestBodyLimits.MediaUpload, "maxBytes", $"maxBytes is 1 to {RequestBodyLimits.MediaUpload} bytes.");
        var types = (request.AllowedTypes ?? []).ToList();
        errors.AddIf(types.Count == 0, "allowedTypes", "At least one type is allowed.");
        foreach (var unknown in types.Where(t => !MediaSniffer.Supported.Contains(t)))
        {
            errors.Add("allowedTypes", $"'{unknown}' is not a type CMS takes ({string.Join(", ", MediaSniffer.Supported)}).");
        }
        errors.ThrowIfAny();
        var settings = await db.MediaSettings.FirstOrDefaultAsync(ct);
        if (settings is null)
        {
            settings = new MediaSettings { TenantId = tenant.RequiredTenantId };
            db.MediaSettings.Add(settings);
        }
        settings.MaxBytes = request.MaxBytes;
        settings.AllowedTypes = [.. types.Distinct(StringComparer.Ordinal)];
        await db.SaveChangesAsync(ct);
        return new MediaSettingsDto(settings.MaxBytes, settings.AllowedTypes);
    }, cancellationToken);

    public async Task<MediaDto> UploadAsync(Stream body, string? fileName, string? altText, string? caption, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        errors.AddIf(string.IsNullOrWhiteSpace(fileName) || fileName.Length > MaxFileNameLength || fileName.IndexOfAny(['/', '\\']) >= 0 || fileName.Any(char.IsControl),
            "fileName", $"fileName is the file's name (1 to {MaxFileNameLength} characters, no path).");
        CheckWords(altText, caption, errors);
        errors.ThrowIfAny();
        var settings = await GetSettingsAsync(cancellationToken);

        await using var spooled = new FileStream(Path.Combine(Path.GetTempPath(), $"codex-media-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        var (bytes, sha256, header) = await SpoolAsync(body, spooled, settings.MaxBytes, cancellationToken);
        var contentType = MediaSniffer.Sniff(header)
                          ?? throw new UnsupportedMediaTypeException($"The file is none of the types CMS takes ({string.Join(", ", MediaSniffer.Supported)}), whatever its name says.");
        if (!settings.AllowedTypes.Contains(contentType))
        {
            throw new UnsupportedMediaTypeException($"The file is {contentType}; this tenant takes {string.Join(", ", settings.AllowedTypes)}.", "media_type_not_allowed");
        }
        ImageInspector.Inspected? image = null;
        if (MediaSniffer.IsImage(contentType))
        {
            spooled.Position = 0;
            image = ImageInspector.Inspect(spooled) ?? throw new ValidationException("file", $"The file starts as {contentType} but does not decode as an image.");
        }

        var id = Guid.CreateVersion7();
        var key = $"{tenant.RequiredTenantId}/{id}/original{MediaSniffer.Extension(contentType)}";
        var thumbnailKey = image is null ? null : $"{tenant.RequiredTenantId}/{id}/thumbnail.webp";
        try
        {
            spooled.Position = 0;
            await storage.WriteAsync(key, spooled, cancellationToken);
            if (image is not null)
            {
                await storage.WriteAsync(thumbnailKey!, new MemoryStream(image.Thumbnail, writable: false), cancellationToken);
            }
            return await db.InTransactionAsync(async ct =>
            {
                var now = clock.GetUtcNow();
                var media = new MediaAsset
                {
                    Id = id, TenantId = tenant.RequiredTenantId, FileName = fileName!, ContentType = contentType, Bytes = bytes, Sha256 = sha256,
                    Width = image?.Width, Height = image?.Height, StorageKey = key, ThumbnailKey = thumbnailKey, AltText = altText, Caption = caption,
                    CreatedAt = now, UpdatedAt = now, CreatedBy = tenant.UserId,
                };
                db.Media.Add(media);
                await outbox.SaveChangesAsync([new MediaUploaded(media.TenantId, media.Id, media.FileName, media.ContentType, media.Bytes)], ct);
                return ToDto(media);
            }, cancellationToken);
        }
        catch
        {
            await RemoveBytesAsync(key, thumbnailKey);
            throw;
        }
    }

    /// <summary>Copies the body to <paramref name="spooled"/>, refusing it (413) as soon as it passes <paramref name="maxBytes"/>.</summary>
    private static async Task<(long Bytes, string Sha256, byte[] Header)> SpoolAsync(Stream body, Stream spooled, long maxBytes, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var header = new byte[MediaSniffer.HeaderLength];
        var headerLength = 0;
        long total = 0;
        var buffer = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw new PayloadTooLargeException($"The file is larger than this tenant's limit of {maxBytes} bytes.", "media_too_large");
            }
            if (headerLength < header.Length)
            {
                var take = Math.Min(read, header.Length - headerLength);
                Array.Copy(buffer, 0, header, headerLength, take);
                headerLength += take;
            }
            hash.AppendData(buffer, 0, read);
            await spooled.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        if (total == 0)
        {
            throw new ValidationException("file", "The body is the file's bytes; it was empty.");
        }
        await spooled.FlushAsync(ct);
        return (total, Convert.ToHexStringLower(hash.GetHashAndReset()), header[..headerLength]);
    }

    public async Task<KeysetPage<MediaDto>> ListAsync(string? type, string? cursor, int limit, CancellationToken cancellationToken)
    {
        Paging.ValidateLimit(limit, MaxLimit);
        var media = db.Media.AsNoTracking();
        if (type is { Length: > 0 })
        {
            // "image" or "image/png": a family or one type.
            media = type.Contains('/') ? media.Where(m => m.ContentType == type) : media.Where(m => m.ContentType.StartsWith(type + "/"));
        }
        if (KeysetCursor.Decode(cursor) is { At: { } at, Id: var id })
        {
            media = media.Where(m => m.CreatedAt < at || (m.CreatedAt == at && m.Id < id));
        }
        var rows = await media.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(limit + 1).ToListAsync(cancellationToken);
        return KeysetCursor.Page(rows, limit, m => new KeysetCursor(m.CreatedAt, m.Id), ToDto);
    }

    public async Task<MediaDto> GetAsync(Guid id, CancellationToken cancellationToken) =>
        ToDto(await db.Media.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken) ?? throw NotFound(id));

    public Task<MediaDto> UpdateAsync(Guid id, UpdateMediaRequest request, CancellationToken cancellationToken) => db.InTransactionAsync(async ct =>
    {
        var errors = new FieldErrors();
        CheckWords(request.AltText, request.Caption, errors);
        errors.ThrowIfAny();
        var media = await db.Media.FirstOrDefaultAsync(m => m.Id == id, ct) ?? throw NotFound(id);
        media.AltText = request.AltText;
        media.Caption = request.Caption;
        media.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return ToDto(media);
    }, cancellationToken);

    /// <summary>
    /// Removes a file no item or page uses (a 409 lists those that do). The row is taken <c>FOR UPDATE</c>; an item
    /// write that names the file holds it <c>FOR SHARE</c>, so no save can slip a new use in between.
    /// </summary>
    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var media = await db.InTransactionAsync(async ct =>
        {
            var locked = await db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM media_files WHERE id = {id} FOR UPDATE").ToListAsync(ct);
            var media = locked.Count == 0 ? throw NotFound(id) : await db.Media.FirstAsync(m => m.Id == id, ct);
            var pattern = $"%\"{id}\"%";
            var items = await db.Database.SqlQuery<MediaUse>($"""
                SELECT id AS "Id", 'item' AS "Kind", slug || ' (' || locale || ')' AS "Name" FROM content_items
                WHERE tenant_id = {tenant.RequiredTenantId} AND (data::text LIKE {pattern} OR published_data::text LIKE {pattern})
                UNION ALL
                SELECT id, 'page', path FROM pages
                WHERE tenant_id = {tenant.RequiredTenantId} AND (content::text LIKE {pattern} OR published_content::text LIKE {pattern})
                LIMIT 100
                """).ToListAsync(ct);
            if (items.Count > 0)
            {
                throw new ConflictException($"The file is used by {items.Count} items or pages; remove it from them first.", "media_in_use")
                {
                    Details = new Dictionary<string, object?> { ["affectedCount"] = items.Count, ["affectedItems"] = items },
                };
            }
            db.Media.Remove(media);
            await outbox.SaveChangesAsync([new MediaDeleted(media.TenantId, media.Id, media.FileName, media.Bytes)], ct);
            return media;
        }, cancellationToken);
        await RemoveBytesAsync(media.StorageKey, media.ThumbnailKey);
    }

    public sealed record MediaUse(Guid Id, string Kind, string Name);

    /// <summary>The file's row and its bytes (the original, or the thumbnail: null for a file without one).</summary>
    public async Task<(MediaAsset Media, Stream Content)> OpenAsync(Guid id, bool thumbnail, CancellationToken cancellationToken)
    {
        var media = await db.Media.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken) ?? throw NotFound(id);
        var key = thumbnail ? media.ThumbnailKey ?? throw new NotFoundException($"'{media.FileName}' is not an image and has no thumbnail.", "thumbnail_not_found") : media.StorageKey;
        var content = await storage.OpenReadAsync(key, cancellationToken)
                      ?? throw new InvalidOperationException($"Media '{id}' has a row but no bytes under '{key}'.");
        return (media, content);
    }

    /// <summary>For item and page writes: every id names a file of the tenant (the rows held <c>FOR SHARE</c> until the write commits).</summary>
    public async Task<IReadOnlySet<Guid>> ExistingAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var list = ids.ToList();
        var found = await db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM media_files WHERE tenant_id = {tenant.RequiredTenantId} AND id = ANY({list}) FOR SHARE").ToListAsync(ct);
        return found.ToHashSet();
    }

    private async Task RemoveBytesAsync(string key, string? thumbnailKey)
    {
        try
        {
            await storage.DeleteAsync(key, CancellationToken.None);
            if (thumbnailKey is not null)
            {
                await storage.DeleteAsync(thumbnailKey, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The row is gone (or never was): the bytes are unreachable, only space is lost.
            logger.LogWarning(ex, "Media bytes under {Key} were not removed.", key);
        }
    }

    private static void CheckWords(string? altText, string? caption, FieldErrors errors)
    {
        errors.AddIf(altText?.Length > MaxAltTextLength, "altText", $"Alt text is at most {MaxAltTextLength} characters.");
        errors.AddIf(caption?.Length > MaxCaptionLength, "caption", $"A caption is at most {MaxCaptionLength} characters.");
    }

    public static NotFoundException NotFound(Guid id) => new($"Media '{id}' was not found.", "media_not_found");

    public static MediaDto ToDto(MediaAsset m) => new(
        m.Id, m.FileName, m.ContentType, m.Bytes, m.Sha256, m.Width, m.Height, m.AltText, m.Caption,
        $"/api/v1/cms/media/{m.Id}/content", m.ThumbnailKey is null ? null : $"/api/v1/cms/media/{m.Id}/thumbnail",
        m.CreatedAt, m.UpdatedAt, m.CreatedBy);
}
