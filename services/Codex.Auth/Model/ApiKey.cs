namespace Codex.Auth.Model;

/// <summary>
/// A tenant application's key. The secret is shown once; the table keeps its visible prefix and a
/// SHA-256 hash (the secret is 256 random bits, so a fast hash is safe).
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required byte[] KeyHash { get; set; }
    public List<string> Scopes { get; set; } = [];
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
