using SkiaSharp;

namespace Codex.Cms.Tests;

/// <summary>Real files for upload tests, made in memory.</summary>
public static class MediaFiles
{
    public static byte[] Png(int width, int height) => Image(width, height, SKEncodedImageFormat.Png);

    public static byte[] Jpeg(int width, int height) => Image(width, height, SKEncodedImageFormat.Jpeg);

    /// <summary>A minimal one-page PDF.</summary>
    public static byte[] Pdf() => "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"u8.ToArray();

    private static byte[] Image(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.SteelBlue);
            using var paint = new SKPaint { Color = SKColors.Orange };
            canvas.DrawRect(0, 0, width / 2f, height / 2f, paint);
        }
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }
}
