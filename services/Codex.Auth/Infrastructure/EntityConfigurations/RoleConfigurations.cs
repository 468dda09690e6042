using Codex.Auth.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Codex.Auth.Infrastructure.EntityConfigurations;

internal sealed class RoleConfiguration : IEntityTypeConfiguration<Role>
{
    public void Configure(EntityTypeBuilder<Role> role)
    {
        role.ToTable("roles");
        role.Property(r => r.Id).ValueGeneratedNever();
        role.Property(r => r.TenantId).HasMaxLength(50);
        role.Property(r => r.Name).HasMaxLength(64);
        role.Property(r => r.Description).HasMaxLength(500);
        role.Property(r => r.Permissions).IsJsonbList();
        // One name per tenant; system roles (no tenant) are unique among themselves too.
        role.HasIndex(r => new { r.TenantId, r.Name }).IsUnique().AreNullsDistinct(false);
    }
}

internal sealed class UserRoleConfiguration : IEntityTypeConfiguration<UserRole>
{
    public void Configure(EntityTypeBuilder<UserRole> grant)
    {
        grant.ToTable("user_roles");
        grant.HasKey(g => new { g.UserId, g.RoleId });
        grant.Property(g => g.TenantId).HasMaxLength(50);
        grant.HasOne(g => g.Role).WithMany().HasForeignKey(g => g.RoleId).OnDelete(DeleteBehavior.Cascade);
        grant.HasOne<User>().WithMany().HasForeignKey(g => g.UserId).OnDelete(DeleteBehavior.Cascade);
        grant.HasIndex(g => g.TenantId);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> key)
    {
        key.ToTable("api_keys");
        key.Property(k => k.Id).ValueGeneratedNever();
        key.Property(k => k.TenantId).HasMaxLength(50);
        key.Property(k => k.Name).HasMaxLength(100);
        key.Property(k => k.Prefix).HasMaxLength(32);
        key.Property(k => k.Scopes).IsJsonbList();
        key.HasIndex(k => k.KeyHash).IsUnique();
        key.HasIndex(k => k.TenantId);
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
    }
}

internal sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKey>
{
    public void Configure(EntityTypeBuilder<SigningKey> key)
    {
        key.ToTable("signing_keys");
        key.HasKey(k => k.Kid);
        key.Property(k => k.Kid).HasMaxLength(64);
        key.Property(k => k.Algorithm).HasMaxLength(10);
        key.Property(k => k.PublicJwk).HasColumnType("jsonb");
    }
}
