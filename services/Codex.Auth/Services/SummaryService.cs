using Codex.Auth.Contracts;
using Codex.Auth.Infrastructure;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Auth.Services;

/// <summary>What other services read about a tenant's users: figures for Platform, one user for an assignee check.</summary>
public sealed class SummaryService(AuthDbContext db, TenantContext tenant, TimeProvider clock)
{
    public async Task<AuthSummary> ForTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        tenant.Set(tenantId);
        var since = clock.GetUtcNow().AddHours(-24);
        var users = await db.Users.AsNoTracking()
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Users = g.Count(),
                Active = g.Count(u => u.IsActive),
                Verified = g.Count(u => u.EmailConfirmed),
                LastLogin = g.Max(u => u.LastLogin),
            })
            .FirstOrDefaultAsync(cancellationToken);
        var failed = await db.AuthEvents.CountAsync(e => e.Type == AuthEventLog.LoginFailed && e.CreatedAt >= since, cancellationToken);
        return new AuthSummary(users?.Users ?? 0, users?.Active ?? 0, users?.Verified ?? 0, users?.LastLogin, failed);
    }

    /// <summary>The tenant's user <paramref name="userId"/>, or null when the tenant has no such user.</summary>
    public async Task<TenantUserDto?> UserAsync(string tenantId, Guid userId, CancellationToken cancellationToken)
    {
        tenant.Set(tenantId);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new TenantUserDto(u.Id, u.Email!, u.IsActive))
            .FirstOrDefaultAsync(cancellationToken);
    }
}
