namespace Codex.Auth.Model;

/// <summary>
/// A token-signing key. The private half is stored protected by Data Protection; the newest
/// unretired key signs, and a retired key stays published until tokens it signed have expired.
/// </summary>
public sealed class SigningKey
{
    public required string Kid { get; set; }
    public required string Algorithm { get; set; }
    public required string ProtectedPrivateKey { get; set; }
    public required string PublicJwk { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RetiredAt { get; set; }
}
