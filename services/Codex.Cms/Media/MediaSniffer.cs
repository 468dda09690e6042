namespace Codex.Cms.Media;

/// <summary>
/// What a file is, from its first bytes (its signature), never from its name or the client's header. Hand-written:
/// no maintained sniffing package is served here, and SkiaSharp (which checks images by decoding them after this)
/// knows images only.
/// </summary>
public static class MediaSniffer
{
    /// <summary>How many leading bytes <see cref="Sniff"/> needs.</summary>
    public const int HeaderLength = 16;

    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";
    public const string Gif = "image/gif";
    public const string Webp = "image/webp";
    public const string Pdf = "application/pdf";
    public const string Mp4 = "video/mp4";

    /// <summary>Every type CMS can take; a tenant allows a subset. SVG is not one: it is a document that can carry script.</summary>
    public static readonly IReadOnlyList<string> Supported = [Jpeg, Png, Gif, Webp, Pdf, Mp4];

    public static bool IsImage(string contentType) => contentType.StartsWith("image/", StringComparison.Ordinal);

    /// <summary>The file's type, or null when it is none CMS knows.</summary>
    public static string? Sniff(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return Jpeg;
        }
        if (header.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Png;
        }
        if (header.StartsWith("GIF87a"u8) || header.StartsWith("GIF89a"u8))
        {
            return Gif;
        }
        if (header.Length >= 12 && header.StartsWith("RIFF"u8) && header[8..12].SequenceEqual("WEBP"u8))
        {
            return Webp;
        }
        if (header.StartsWith("%PDF-"u8))
        {
            return Pdf;
        }
        if (header.Length >= 12 && header[4..8].SequenceEqual("ftyp"u8) && Mp4Brand(header[8..12]))
        {
            return Mp4;
        }
        return null;
    }

    private static bool Mp4Brand(ReadOnlySpan<byte> brand) =>
        brand.SequenceEqual("isom"u8) || brand.SequenceEqual("iso2"u8) || brand.SequenceEqual("mp41"u8) || brand.SequenceEqual("mp42"u8)
        || brand.SequenceEqual("avc1"u8) || brand.SequenceEqual("M4V "u8) || brand.SequenceEqual("dash"u8);

    public static string Extension(string contentType) => contentType switch
    {
        Jpeg => ".jpg",
        Png => ".png",
        Gif => ".gif",
        Webp => ".webp",
        Pdf => ".pdf",
        Mp4 => ".mp4",
        _ => "",
    };
}
