namespace Codex.Auth.Model;

/// <summary>One row of the auth log: sign-ins, failures, lockouts, key and role changes.</summary>
public sealed class AuthEvent
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public Guid? UserId { get; set; }
    public required string Type { get; set; }
    public string? Email { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
    public string? Data { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
