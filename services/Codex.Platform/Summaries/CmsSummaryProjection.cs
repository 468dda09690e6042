using System.Text.Json;
using Codex.Messaging;

namespace Codex.Platform.Summaries;

/// <summary>
/// CMS's figures: content items (each locale's variant counts) and pages, how many of each are live (published, in
/// any version), and the bytes of the media library.
/// </summary>
public sealed class CmsSummaryProjection : ISummaryProjection
{
    public string Service => ResourceNames.Services.Cms;

    public IReadOnlyList<FigureDefinition> Figures { get; } =
    [
        FigureDefinition.Count("contentItems"),
        FigureDefinition.Count("publishedItems"),
        FigureDefinition.Count("pages"),
        FigureDefinition.Count("publishedPages"),
        FigureDefinition.Count("mediaBytes"),
    ];

    // cms.content.updated and cms.content.archived move nothing: archiving a live item publishes cms.content.unpublished first.
    public void Project(EventEnvelope envelope, SummaryChanges changes)
    {
        switch (envelope.Type)
        {
            case "cms.content.created":
                changes.Add("contentItems", 1);
                break;
            // A newer version replacing a live one is still one live item.
            case "cms.content.published" when !Republished(envelope.Data):
                changes.Add("publishedItems", 1);
                break;
            case "cms.content.unpublished":
                changes.Add("publishedItems", -1);
                break;
            case "cms.media.uploaded":
                changes.Add("mediaBytes", Bytes(envelope.Data));
                break;
            case "cms.media.deleted":
                changes.Add("mediaBytes", -Bytes(envelope.Data));
                break;
            case "cms.page.created":
                changes.Add("pages", 1);
                break;
            case "cms.page.published" when !Republished(envelope.Data):
                changes.Add("publishedPages", 1);
                break;
            case "cms.page.unpublished":
                changes.Add("publishedPages", -1);
                break;
            case "cms.page.deleted":
                changes.Add("pages", -1);
                if (envelope.Data.TryGetProperty("wasPublished", out var was) && was.ValueKind == JsonValueKind.True)
                {
                    changes.Add("publishedPages", -1);
                }
                break;
        }
    }

    private static long Bytes(JsonElement data) => data.TryGetProperty("bytes", out var bytes) && bytes.TryGetInt64(out var value) ? value : 0;

    private static bool Republished(JsonElement data) =>
        data.TryGetProperty("republished", out var republished) && republished.ValueKind == JsonValueKind.True;
}
