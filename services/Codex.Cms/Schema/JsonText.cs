using System.Text.Json;

namespace Codex.Cms.Schema;

/// <summary>Stored JSON text compared by value (jsonb reorders keys, so text equality says nothing).</summary>
public static class JsonText
{
    public static bool Same(string a, string b)
    {
        using var left = JsonDocument.Parse(a);
        using var right = JsonDocument.Parse(b);
        return JsonElement.DeepEquals(left.RootElement, right.RootElement);
    }
}
