namespace Codex.Platform.Model;

/// <summary>A service of the stack as Platform last saw it through its <c>/health</c>.</summary>
public sealed class RegisteredService
{
    public required string Name { get; set; }
    public required string Url { get; set; }
    public string? Version { get; set; }
    public string Status { get; set; } = HealthStatuses.Unknown;
    public double? ResponseMs { get; set; }
    public DateTimeOffset? LastCheckedAt { get; set; }
    public DateTimeOffset? LastHealthyAt { get; set; }
}

/// <summary>One poll of a service's <c>/health</c> (kept 24 h).</summary>
public sealed class ServiceHealthCheck
{
    public long Id { get; set; }
    public required string Service { get; set; }
    public DateTimeOffset CheckedAt { get; set; }
    public required string Status { get; set; }
    public double? ResponseMs { get; set; }
    public string? Error { get; set; }
}

public static class HealthStatuses
{
    public const string Healthy = "Healthy";
    public const string Degraded = "Degraded";
    public const string Unhealthy = "Unhealthy";
    public const string Unreachable = "Unreachable";
    public const string Unknown = "Unknown";
}

/// <summary>A platform-wide setting; every change is published and lands in the audit log.</summary>
public sealed class SystemConfigEntry
{
    public required string Key { get; set; }
    public required System.Text.Json.JsonDocument Value { get; set; }
    public string? Description { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}
