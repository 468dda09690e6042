using System.Text.Json.Nodes;
using Codex.Cms.Model;

namespace Codex.Cms.Schema;

/// <summary>
/// The fields an item's variants have in common: every field not marked localised. A save of one variant gives its
/// values of these to the others, so a price or a date is the same in every locale.
/// </summary>
public static class SharedFields
{
    /// <summary>
    /// Copies <paramref name="source"/>'s shared fields into <paramref name="target"/> (JSON objects as text); null when
    /// nothing changes, or when the target is not an object (the type's validation then says so).
    /// </summary>
    public static string? Apply(ContentType type, string source, string target)
    {
        if (JsonNode.Parse(source) is not JsonObject from || JsonNode.Parse(target) is not JsonObject into)
        {
            return null;
        }
        var changed = false;
        foreach (var field in type.Fields.Where(f => !f.Localized))
        {
            var value = from[field.Name];
            var present = from.ContainsKey(field.Name);
            if (present && into.ContainsKey(field.Name) && JsonNode.DeepEquals(value, into[field.Name]))
            {
                continue;
            }
            if (!present && !into.ContainsKey(field.Name))
            {
                continue;
            }
            changed = true;
            if (present)
            {
                into[field.Name] = value?.DeepClone();
            }
            else
            {
                into.Remove(field.Name);
            }
        }
        return changed ? into.ToJsonString() : null;
    }
}
