using Codex.Billing.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Codex.Billing.Infrastructure.EntityConfigurations;

public sealed class WebhookConfiguration : IEntityTypeConfiguration<WebhookEndpoint>, IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> endpoint)
    {
        endpoint.ToTable("webhook_endpoints");
        endpoint.HasKey(e => e.Id);
        endpoint.Property(e => e.TenantId).HasMaxLength(64);
        endpoint.Property(e => e.Url).HasMaxLength(2000);
        endpoint.Property(e => e.Description).HasMaxLength(200);
        endpoint.Property(e => e.ProtectedSecret).HasMaxLength(1000);
        endpoint.HasIndex(e => e.TenantId);
    }

    public void Configure(EntityTypeBuilder<WebhookDelivery> delivery)
    {
        delivery.ToTable("webhook_deliveries");
        delivery.HasKey(d => d.Id);
        delivery.Property(d => d.TenantId).HasMaxLength(64);
        delivery.Property(d => d.EventType).HasMaxLength(100);
        delivery.Property(d => d.Payload).HasColumnType("jsonb");
        delivery.Property(d => d.Status).HasMaxLength(20);
        delivery.Property(d => d.LastError).HasMaxLength(500);
        delivery.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
        delivery.HasIndex(d => new { d.EndpointId, d.Status, d.Id });
        // The dispatcher's scan: pending deliveries by when they are due.
        delivery.HasIndex(d => d.NextAttemptAt).HasFilter("status = 'pending'");
    }
}
