namespace Codex.Cms.Model;

/// <summary>
/// One of a tenant's locales (a BCP 47 tag such as <c>en</c> or <c>fr-CA</c>). A read in this locale that finds no
/// variant goes on to <see cref="Fallback"/>, and so on, and ends at the tenant's default locale.
/// </summary>
public sealed class ContentLocale : ITenantOwned
{
    public required string TenantId { get; set; }
    public required string Code { get; set; }
    public string? Fallback { get; set; }
    public bool IsDefault { get; set; }
    public int Position { get; set; }
}
