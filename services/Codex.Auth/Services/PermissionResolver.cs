using Codex.Auth.Infrastructure;
using Codex.Auth.Model;
using Microsoft.EntityFrameworkCore;

namespace Codex.Auth.Services;

/// <summary>
/// A user's effective roles and permissions now: the base role plus every grant that has not expired.
/// Computed at each sign-in and refresh, so an expired grant stops counting at the next token.
/// </summary>
public sealed class PermissionResolver(AuthDbContext db, TimeProvider clock)
{
    public async Task<(IReadOnlyList<string> Roles, IReadOnlyList<string> Permissions)> ResolveAsync(User user, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var granted = await db.UserRoles.AsNoTracking()
            .Where(g => g.UserId == user.Id && (g.ExpiresAt == null || g.ExpiresAt > now))
            .Select(g => g.Role!)
            .ToListAsync(cancellationToken);
        var baseRole = await db.Roles.AsNoTracking()
            .FirstOrDefaultAsync(r => r.TenantId == null && r.Name == user.Role, cancellationToken);

        var roles = granted.Prepend(baseRole).OfType<Role>().ToList();
        return (
            roles.Select(r => r.Name).Append(user.Role).Distinct(StringComparer.Ordinal).ToList(),
            roles.SelectMany(r => r.Permissions).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
    }
}
