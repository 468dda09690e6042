using Codex.Auth.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Codex.Auth.Infrastructure.EntityConfigurations;

/// <summary>Identity's tables under the seed schema's names, unique per tenant rather than globally.</summary>
internal static class UserConfiguration
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<User>(user =>
        {
            user.ToTable("users");
            user.Property(u => u.TenantId).HasMaxLength(50);
            user.Property(u => u.Role).HasMaxLength(50);
            user.Property(u => u.EmailConfirmed).HasColumnName("email_verified");
            user.Property(u => u.CreatedAt).HasDefaultValueSql("now()");
            user.Property(u => u.UpdatedAt).HasDefaultValueSql("now()");

            // Identity indexes user name and email globally; Codex scopes both to the tenant.
            foreach (var index in user.Metadata.GetIndexes().ToList())
            {
                user.Metadata.RemoveIndex(index);
            }
            user.HasIndex(u => new { u.TenantId, u.NormalizedUserName }).IsUnique();
            user.HasIndex(u => new { u.TenantId, u.NormalizedEmail }).IsUnique();
        });
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
    }
}
