using Codex.Crm.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Codex.Crm.Infrastructure.EntityConfigurations;

public sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> customer)
    {
        customer.ToTable("customers");
        customer.HasKey(c => c.Id);
        customer.Property(c => c.TenantId).HasMaxLength(64);
        customer.Property(c => c.Name).HasMaxLength(200);
        customer.Property(c => c.Email).HasMaxLength(320);
        customer.Property(c => c.Phone).HasMaxLength(50);
        customer.Property(c => c.Company).HasMaxLength(200);
        customer.Property(c => c.Status).HasMaxLength(20);
        customer.Property(c => c.Source).HasMaxLength(50);
        customer.Property(c => c.CustomFields).HasColumnType("jsonb");
        // Ids are UUID v7, so (tenant, id) is also creation order: the keyset for every list.
        customer.HasIndex(c => new { c.TenantId, c.Id });
        customer.HasIndex(c => c.SearchText).HasMethod("gin").HasOperators("gin_trgm_ops");
        customer.HasIndex(c => c.Tags).HasMethod("gin");
        customer.HasIndex(c => new { c.TenantId, c.Email }).IsUnique().HasFilter("deleted_at IS NULL AND email IS NOT NULL");
    }
}
