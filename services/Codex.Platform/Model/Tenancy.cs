namespace Codex.Platform.Model;

/// <summary>A business customer; it owns tenants (its applications and environments).</summary>
public sealed class Client
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public string? ContactEmail { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
}

/// <summary>The master record of a tenant; Auth and the other services keep replicas fed by events.</summary>
public sealed class Tenant
{
    public required string Id { get; set; }
    public Guid? ClientId { get; set; }
    public required string Name { get; set; }
    public string Plan { get; set; } = "free";
    public TenantStatus Status { get; set; } = TenantStatus.Active;
    public string? SuspendedReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
}

public enum TenantStatus
{
    Active,
    Suspended,
    Deleted,
}

/// <summary>A tenant's first administrator, as provisioned in Auth.</summary>
public sealed class TenantAdmin
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public required string Email { get; set; }
    public Guid? AuthUserId { get; set; }
    public bool Invited { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One service's part of provisioning a tenant, tracked until done.</summary>
public sealed class ProvisioningStep
{
    public required string TenantId { get; set; }
    public required string Service { get; set; }
    public ProvisioningStatus Status { get; set; } = ProvisioningStatus.Pending;
    public int Attempts { get; set; }
    public string? LastError { get; set; }

    /// <summary>What the step still needs (the admin's password, Data-Protection-protected); cleared once done.</summary>
    public string? ProtectedInput { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

public enum ProvisioningStatus
{
    Pending,
    Done,
    Failed,
}
