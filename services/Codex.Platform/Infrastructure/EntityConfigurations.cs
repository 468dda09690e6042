using Codex.Platform.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Codex.Platform.Infrastructure;

internal sealed class ClientConfiguration : IEntityTypeConfiguration<Client>
{
    public void Configure(EntityTypeBuilder<Client> client)
    {
        client.ToTable("clients");
        client.Property(c => c.Name).HasMaxLength(200);
        client.Property(c => c.ContactEmail).HasMaxLength(256);
    }
}

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> tenant)
    {
        tenant.ToTable("tenants");
        tenant.Property(t => t.Id).HasMaxLength(50);
        tenant.Property(t => t.Name).HasMaxLength(200);
        tenant.Property(t => t.Plan).HasMaxLength(50);
        tenant.Property(t => t.Status).HasConversion<string>().HasMaxLength(20);
        tenant.Property(t => t.SuspendedReason).HasMaxLength(500);
        tenant.HasOne<Client>().WithMany().HasForeignKey(t => t.ClientId).OnDelete(DeleteBehavior.Restrict);
        tenant.HasIndex(t => t.Status);
    }
}

internal sealed class TenantAdminConfiguration : IEntityTypeConfiguration<TenantAdmin>
{
    public void Configure(EntityTypeBuilder<TenantAdmin> admin)
    {
        admin.ToTable("admins");
        admin.Property(a => a.TenantId).HasMaxLength(50);
        admin.Property(a => a.Email).HasMaxLength(256);
        admin.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId);
        admin.HasIndex(a => new { a.TenantId, a.Email }).IsUnique();
    }
}

internal sealed class ProvisioningStepConfiguration : IEntityTypeConfiguration<ProvisioningStep>
{
    public void Configure(EntityTypeBuilder<ProvisioningStep> step)
    {
        step.ToTable("provisioning_steps");
        step.HasKey(s => new { s.TenantId, s.Service });
        step.Property(s => s.TenantId).HasMaxLength(50);
        step.Property(s => s.Service).HasMaxLength(50);
        step.Property(s => s.Status).HasConversion<string>().HasMaxLength(20);
        step.Property(s => s.LastError).HasMaxLength(2000);
        step.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId);
        step.HasIndex(s => new { s.Status, s.NextAttemptAt });
    }
}

internal sealed class RegisteredServiceConfiguration : IEntityTypeConfiguration<RegisteredService>
{
    public void Configure(EntityTypeBuilder<RegisteredService> service)
    {
        service.ToTable("services");
        service.HasKey(s => s.Name);
        service.Property(s => s.Name).HasMaxLength(50);
        service.Property(s => s.Url).HasMaxLength(500);
        service.Property(s => s.Version).HasMaxLength(100);
        service.Property(s => s.Status).HasMaxLength(20);
    }
}

internal sealed class ServiceHealthCheckConfiguration : IEntityTypeConfiguration<ServiceHealthCheck>
{
    public void Configure(EntityTypeBuilder<ServiceHealthCheck> check)
    {
        check.ToTable("service_health_checks");
        check.Property(c => c.Service).HasMaxLength(50);
        check.Property(c => c.Status).HasMaxLength(20);
        check.Property(c => c.Error).HasMaxLength(1000);
        check.HasIndex(c => new { c.Service, c.CheckedAt });
    }
}

internal sealed class SystemConfigConfiguration : IEntityTypeConfiguration<SystemConfigEntry>
{
    public void Configure(EntityTypeBuilder<SystemConfigEntry> entry)
    {
        entry.ToTable("system_config");
        entry.HasKey(e => e.Key);
        entry.Property(e => e.Key).HasMaxLength(200);
        entry.Property(e => e.Value).HasColumnType("jsonb");
        entry.Property(e => e.Description).HasMaxLength(500);
        entry.Property(e => e.UpdatedBy).HasMaxLength(100);
    }
}

internal sealed class SummaryFigureConfiguration : IEntityTypeConfiguration<SummaryFigure>
{
    public void Configure(EntityTypeBuilder<SummaryFigure> figure)
    {
        figure.ToTable("tenant_summaries");
        figure.HasKey(f => new { f.TenantId, f.Service, f.Figure });
        figure.Property(f => f.TenantId).HasMaxLength(50);
        figure.Property(f => f.Service).HasMaxLength(50);
        figure.Property(f => f.Figure).HasMaxLength(100);
        figure.Property(f => f.Value).HasColumnType("jsonb");
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.ToTable("audit_log");
        entry.Property(e => e.Id).ValueGeneratedNever();
        entry.Property(e => e.TenantId).HasMaxLength(50);
        entry.Property(e => e.Type).HasMaxLength(100);
        entry.Property(e => e.Actor).HasMaxLength(100);
        entry.Property(e => e.Source).HasMaxLength(100);
        entry.Property(e => e.TraceId).HasMaxLength(32);
        entry.Property(e => e.Data).HasColumnType("jsonb");
        entry.HasIndex(e => new { e.TenantId, e.OccurredAt });
        entry.HasIndex(e => new { e.Actor, e.OccurredAt });
        entry.HasIndex(e => new { e.Type, e.OccurredAt });
        entry.HasIndex(e => e.RecordedAt);
    }
}

internal sealed class SecurityEventConfiguration : IEntityTypeConfiguration<SecurityEvent>
{
    public void Configure(EntityTypeBuilder<SecurityEvent> entry)
    {
        entry.ToTable("security_events");
        entry.Property(e => e.Id).ValueGeneratedNever();
        entry.Property(e => e.TenantId).HasMaxLength(50);
        entry.Property(e => e.Type).HasMaxLength(100);
        entry.Property(e => e.Email).HasMaxLength(256);
        entry.Property(e => e.Source).HasMaxLength(100);
        entry.Property(e => e.Data).HasColumnType("jsonb");
        entry.HasIndex(e => new { e.TenantId, e.Type, e.OccurredAt });
        entry.HasIndex(e => e.OccurredAt);
    }
}

internal sealed class LineageEntryConfiguration : IEntityTypeConfiguration<LineageEntry>
{
    public void Configure(EntityTypeBuilder<LineageEntry> entry)
    {
        entry.ToTable("data_lineage");
        entry.Property(e => e.TenantId).HasMaxLength(50);
        entry.Property(e => e.Service).HasMaxLength(50);
        entry.Property(e => e.Figure).HasMaxLength(100);
        entry.Property(e => e.Value).HasColumnType("jsonb");
        entry.Property(e => e.Previous).HasColumnType("jsonb");
        entry.Property(e => e.Kind).HasMaxLength(20);
        entry.Property(e => e.EventType).HasMaxLength(100);
        entry.Property(e => e.EventSource).HasMaxLength(100);
        entry.HasIndex(e => new { e.TenantId, e.Service, e.Figure, e.Id });
    }
}
