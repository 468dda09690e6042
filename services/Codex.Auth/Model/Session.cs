namespace Codex.Auth.Model;

/// <summary>
/// One sign-in on one device: the family of refresh tokens rotated from its first. Revoking the
/// session ends every token of the family.
/// </summary>
public sealed class Session
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public Guid UserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastRefreshedAt { get; set; }

    /// <summary>The absolute end: rotation never extends a session past it.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedReason { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }

    /// <summary>Whether the sign-in passed a second factor.</summary>
    public bool Mfa { get; set; }

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && ExpiresAt > now;
}

/// <summary>One refresh token of a session; only its SHA-256 hash is stored.</summary>
public sealed class RefreshToken
{
    public Guid Id { get; set; }
    public Guid SessionId { get; set; }
    public required string TenantId { get; set; }
    public required byte[] TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When it was exchanged for its successor; presenting it again is reuse.</summary>
    public DateTimeOffset? UsedAt { get; set; }
}
