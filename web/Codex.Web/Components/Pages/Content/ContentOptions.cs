using Codex.Web.Api;

namespace Codex.Web.Components.Pages.Content;

/// <summary>What each media and reference field of a type may name: the tenant's files, and items of the referenced type.</summary>
public static class ContentOptions
{
    public static async Task<Dictionary<string, List<(string Value, string Label)>>> LoadAsync(CmsApi cms, CmsType type, CancellationToken cancellationToken = default)
    {
        var options = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        List<(string, string)>? media = null;
        foreach (var field in type.Fields.Where(f => f.Kind is "media" or "reference"))
        {
            if (field.Kind == "media")
            {
                media ??= [.. (await cms.MediaAsync(cancellationToken: cancellationToken)).Items.Select(m => (m.Id.ToString(), m.FileName))];
                options[field.Name] = media;
            }
            else
            {
                var items = await cms.ItemsAsync(field.ReferenceType, null, null, 100, cancellationToken);
                options[field.Name] = [.. items.Items.Select(i => (i.Id.ToString(), $"{i.Type}: {i.Slug} ({i.Locale})"))];
            }
        }
        return options;
    }
}
