using Codex.Auth.Contracts;
using Codex.Auth.Infrastructure;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Auth.Services;

/// <summary>Auth's figures for one tenant, from its own tables: what Platform reconciles against.</summary>
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
}
