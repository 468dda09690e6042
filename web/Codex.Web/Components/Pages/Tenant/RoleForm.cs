using System.ComponentModel.DataAnnotations;
using Codex.Web.Api;

namespace Codex.Web.Components.Pages.Tenant;

/// <summary>A custom role as the create and edit forms post it; Auth's limits, checked before the call.</summary>
public sealed class RoleForm
{
    [Required(ErrorMessage = "Enter a name."), StringLength(64, MinimumLength = 2, ErrorMessage = "A name has 2 to 64 characters.")]
    public string Name { get; set; } = "";

    [StringLength(500, ErrorMessage = "A description has at most 500 characters.")]
    public string? Description { get; set; }

    [Required(ErrorMessage = "List at least one permission.")]
    public string Permissions { get; set; } = "";

    public static RoleForm From(RoleDto role) =>
        new() { Name = role.Name, Description = role.Description, Permissions = PermissionText.Format(role.Permissions) };

    /// <summary>The values as Auth takes them: trimmed, no empty description, the permissions as a list.</summary>
    public (string Name, string? Description, List<string> Permissions) ToRequest() =>
        (Name.Trim(), string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(), PermissionText.Parse(Permissions));
}
