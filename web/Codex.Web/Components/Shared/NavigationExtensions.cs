using Microsoft.AspNetCore.Components;

namespace Codex.Web.Components.Shared;

public static class NavigationExtensions
{
    /// <summary>This page as a local path with its query (<c>/tenants?page=2</c>): what sign-in returns to.</summary>
    public static string LocalPath(this NavigationManager nav) => "/" + nav.ToBaseRelativePath(nav.Uri);
}
