namespace Codex.Auth.Services;

/// <summary>The four roles every tenant has; seeded once, with no tenant.</summary>
public static class SystemRoles
{
    public const string Superadmin = "superadmin";
    public const string Admin = "admin";
    public const string User = "user";
    public const string Readonly = "readonly";

    /// <summary>Name, description and permissions of each system role.</summary>
    public static readonly IReadOnlyList<(string Name, string Description, string[] Permissions)> All =
    [
        (Superadmin, "Runs the platform: every tenant, every permission.", ["*"]),
        (Admin, "Runs one tenant: its users, roles, keys and every service's data.",
            ["auth.*", "crm.*", "cms.*", "billing.*", "analytics.*", "notifications.*"]),
        (User, "Works with a tenant's data.", ["crm.*", "cms.*", "analytics.*.read", "notifications.*.read"]),
        (Readonly, "Reads a tenant's data.", ["*.*.read"]),
    ];

    public static bool IsSystem(string name) => All.Any(r => r.Name == name);
}
