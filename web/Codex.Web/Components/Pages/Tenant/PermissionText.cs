namespace Codex.Web.Components.Pages.Tenant;

/// <summary>
/// Permission strings as people type them in a textarea: one per line or separated by commas.
/// Auth has no permission catalogue, so the known strings are listed here only as a hint.
/// </summary>
public static class PermissionText
{
    // Not spaces: "crm leads" stays one (wrong) string, so Auth's complaint names what was typed.
    private static readonly char[] Separators = [',', ';', '\n', '\r'];

    /// <summary>The strings that Auth, CRM and CMS check today (wildcards such as <c>crm.*</c> work too).</summary>
    public static readonly IReadOnlyList<string> Known =
    [
        "auth.users.read", "auth.users.write", "auth.roles.read", "auth.roles.write",
        "auth.apikeys.read", "auth.apikeys.write", "auth.sessions.read", "auth.sessions.write",
        "crm.customers.read", "crm.customers.write", "crm.leads.read", "crm.leads.write",
        "crm.interactions.read", "crm.interactions.write", "crm.pipelines.read", "crm.pipelines.write",
        "cms.types.read", "cms.types.write", "cms.content.preview", "cms.content.write", "cms.content.publish", "cms.content.approve",
        "cms.pages.preview", "cms.pages.write", "cms.media.read", "cms.media.write", "cms.delivery.read",
    ];

    public static List<string> Parse(string? text) =>
        [.. (text ?? "").Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    public static string Format(IEnumerable<string> permissions) => string.Join('\n', permissions);
}
