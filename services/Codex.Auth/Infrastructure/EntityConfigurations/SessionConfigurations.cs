using Codex.Auth.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Codex.Auth.Infrastructure.EntityConfigurations;

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> session)
    {
        session.ToTable("sessions");
        session.Property(s => s.Id).ValueGeneratedNever();
        session.Property(s => s.TenantId).HasMaxLength(50);
        session.Property(s => s.RevokedReason).HasMaxLength(100);
        session.Property(s => s.IpAddress).HasMaxLength(64);
        session.Property(s => s.UserAgent).HasMaxLength(512);
        session.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        session.HasIndex(s => new { s.TenantId, s.UserId });
    }
}

internal sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> token)
    {
        token.ToTable("refresh_tokens");
        token.Property(t => t.Id).ValueGeneratedNever();
        token.Property(t => t.TenantId).HasMaxLength(50);
        token.HasIndex(t => t.TokenHash).IsUnique();
        token.HasOne<Session>().WithMany().HasForeignKey(t => t.SessionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AuthEventConfiguration : IEntityTypeConfiguration<AuthEvent>
{
    public void Configure(EntityTypeBuilder<AuthEvent> authEvent)
    {
        authEvent.ToTable("auth_events");
        authEvent.Property(e => e.Id).ValueGeneratedNever();
        authEvent.Property(e => e.TenantId).HasMaxLength(50);
        authEvent.Property(e => e.Type).HasMaxLength(50);
        authEvent.Property(e => e.Email).HasMaxLength(256);
        authEvent.Property(e => e.IpAddress).HasMaxLength(64);
        authEvent.Property(e => e.UserAgent).HasMaxLength(512);
        authEvent.Property(e => e.Data).HasColumnType("jsonb");
        authEvent.HasIndex(e => new { e.TenantId, e.Type, e.CreatedAt });
    }
}
