using System.Globalization;
using Codex.Billing.Model;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Codex.Billing.Services;

/// <summary>An invoice as an A4 PDF (PDFsharp): header, customer, the lines with their periods, and the totals.</summary>
public sealed class InvoicePdf
{
    private static readonly Lock FontSetup = new();
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public InvoicePdf()
    {
        // PDFsharp's resolver is process-wide and may be set once; several Billing hosts share a test process.
        lock (FontSetup)
        {
            GlobalFontSettings.FontResolver ??= new EmbeddedFonts();
        }
    }

    public byte[] Render(Invoice invoice, Customer? customer, string tenantId)
    {
        using var document = new PdfDocument();
        document.Info.Title = $"Invoice {invoice.DisplayNumber ?? "draft"}";
        var page = document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            var regular = new XFont(EmbeddedFonts.Family, 9.5, XFontStyleEx.Regular);
            var bold = new XFont(EmbeddedFonts.Family, 9.5, XFontStyleEx.Bold);
            var title = new XFont(EmbeddedFonts.Family, 20, XFontStyleEx.Bold);
            const double left = 50, right = 545;
            var y = 60.0;
            gfx.DrawString(invoice.Status == InvoiceStatuses.Draft ? "Draft invoice" : "Invoice", title, XBrushes.Black, left, y);
            gfx.DrawString(invoice.DisplayNumber ?? "not numbered yet", bold, XBrushes.Black, new XRect(left, y - 14, right - left, 20), XStringFormats.TopRight);
            y += 30;
            foreach (var (label, value) in new[]
            {
                ("Issued by", tenantId),
                ("Billed to", customer is null ? invoice.CustomerId.ToString() : $"{customer.Name}{(customer.Email is null ? "" : $" <{customer.Email}>")}"),
                ("Issued", invoice.IssuedAt?.ToString("yyyy-MM-dd", Culture) ?? "-"),
                ("Status", invoice.Status),
            })
            {
                gfx.DrawString(label, bold, XBrushes.Black, left, y);
                gfx.DrawString(value, regular, XBrushes.Black, left + 80, y);
                y += 15;
            }
            y += 15;
            gfx.DrawString("Description", bold, XBrushes.Black, left, y);
            gfx.DrawString("Period", bold, XBrushes.Black, left + 250, y);
            gfx.DrawString("Quantity", bold, XBrushes.Black, new XRect(left, y - 10, 400, 14), XStringFormats.TopRight);
            gfx.DrawString("Amount", bold, XBrushes.Black, new XRect(left, y - 10, right - left, 14), XStringFormats.TopRight);
            y += 6;
            gfx.DrawLine(XPens.Black, left, y, right, y);
            y += 14;
            foreach (var line in invoice.Lines.OrderBy(l => l.Position))
            {
                gfx.DrawString(Clip(line.Description, 48), regular, XBrushes.Black, left, y);
                if (line.PeriodStart is { } start && line.PeriodEnd is { } end)
                {
                    gfx.DrawString($"{start:yyyy-MM-dd} – {end:yyyy-MM-dd}", regular, XBrushes.Black, left + 250, y);
                }
                gfx.DrawString(line.Quantity.ToString("0.####", Culture), regular, XBrushes.Black, new XRect(left, y - 10, 400, 14), XStringFormats.TopRight);
                gfx.DrawString(Money(line.Amount, invoice.Currency), regular, XBrushes.Black, new XRect(left, y - 10, right - left, 14), XStringFormats.TopRight);
                y += 15;
                if (y > 760)
                {
                    break;   // a page holds ~45 lines; Billing's invoices have a line per charge, far fewer
                }
            }
            gfx.DrawLine(XPens.Black, left, y - 6, right, y - 6);
            y += 8;
            foreach (var (label, amount, font) in new[]
            {
                ("Subtotal", invoice.Subtotal, regular), ("Discount", -invoice.Discount, regular),
                ($"Tax ({invoice.TaxRate * 100:0.####} %)", invoice.Tax, regular), ("Credit applied", -invoice.CreditApplied, regular),
                ("Total due", invoice.Total, bold),
            })
            {
                gfx.DrawString(label, font, XBrushes.Black, left + 300, y);
                gfx.DrawString(Money(amount, invoice.Currency), font, XBrushes.Black, new XRect(left, y - 10, right - left, 14), XStringFormats.TopRight);
                y += 15;
            }
        }
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    private static string Money(decimal amount, string currency) =>
        $"{amount.ToString("N" + Currencies.MinorUnits(currency), Culture)} {currency}";

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    /// <summary>DejaVu Sans from the service's own resources, whatever the host has installed.</summary>
    private sealed class EmbeddedFonts : IFontResolver
    {
        public const string Family = "DejaVu Sans";

        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
            new(bold ? "DejaVuSans-Bold" : "DejaVuSans");

        public byte[]? GetFont(string faceName)
        {
            using var stream = typeof(InvoicePdf).Assembly.GetManifestResourceStream($"Codex.Billing.Fonts.{faceName}.ttf");
            if (stream is null)
            {
                return null;
            }
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
