using SkiaSharp;

namespace Codex.Cms.Media;

/// <summary>An image's size as displayed and a thumbnail of it, by SkiaSharp; a file that does not decode is not an image.</summary>
public static class ImageInspector
{
    /// <summary>The longer side of a thumbnail.</summary>
    public const int ThumbnailSize = 320;

    /// <summary>Above this many pixels an upload is refused before it is decoded (a small file can claim a huge image).</summary>
    public const long MaxPixels = 60_000_000;

    public const string ThumbnailType = "image/webp";

    public sealed record Inspected(int Width, int Height, byte[] Thumbnail);

    /// <summary>Null when <paramref name="image"/> is not an image SkiaSharp reads; throws <see cref="ValidationException"/> for a too-large one.</summary>
    public static Inspected? Inspect(Stream image)
    {
        // The codec owns the Skia stream it reads; the caller keeps (and disposes) the file underneath.
        using var codec = SKCodec.Create(new SKManagedStream(image, disposeManagedStream: false));
        if (codec is null)
        {
            return null;
        }
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if ((long)width * height > MaxPixels)
        {
            throw new ValidationException("file", $"The image is {width}×{height}: at most {MaxPixels / 1_000_000} megapixels are taken.");
        }
        using var decoded = SKBitmap.Decode(codec);
        if (decoded is null)
        {
            return null;
        }
        // Photos carry their rotation in EXIF: width, height and thumbnail are as the image is shown.
        using var turned = Turned(decoded, codec.EncodedOrigin);
        var upright = turned ?? decoded;
        var scale = Math.Min(1.0, (double)ThumbnailSize / Math.Max(upright.Width, upright.Height));
        var size = new SKImageInfo(Math.Max(1, (int)Math.Round(upright.Width * scale)), Math.Max(1, (int)Math.Round(upright.Height * scale)));
        using var thumbnail = upright.Resize(size, new SKSamplingOptions(SKCubicResampler.Mitchell)) ?? throw new InvalidOperationException("The thumbnail was not made.");
        using var encoded = thumbnail.Encode(SKEncodedImageFormat.Webp, 80);
        return new Inspected(upright.Width, upright.Height, encoded.ToArray());
    }

    /// <summary>The bitmap turned upright, or null when it already is (no copy).</summary>
    private static SKBitmap? Turned(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default)
        {
            return null;
        }
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var result = new SKBitmap(swap ? bitmap.Height : bitmap.Width, swap ? bitmap.Width : bitmap.Height);
        using var canvas = new SKCanvas(result);
        switch (origin)
        {
            case SKEncodedOrigin.TopRight: canvas.Scale(-1, 1, result.Width / 2f, 0); break;
            case SKEncodedOrigin.BottomRight: canvas.RotateDegrees(180, result.Width / 2f, result.Height / 2f); break;
            case SKEncodedOrigin.BottomLeft: canvas.Scale(1, -1, 0, result.Height / 2f); break;
            case SKEncodedOrigin.LeftTop: canvas.Translate(result.Width, 0); canvas.RotateDegrees(90); canvas.Scale(1, -1, 0, bitmap.Height / 2f); break;
            case SKEncodedOrigin.RightTop: canvas.Translate(result.Width, 0); canvas.RotateDegrees(90); break;
            case SKEncodedOrigin.RightBottom: canvas.Translate(0, result.Height); canvas.RotateDegrees(270); canvas.Scale(1, -1, 0, bitmap.Height / 2f); break;
            case SKEncodedOrigin.LeftBottom: canvas.Translate(0, result.Height); canvas.RotateDegrees(270); break;
        }
        using var image = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        return result;
    }
}
