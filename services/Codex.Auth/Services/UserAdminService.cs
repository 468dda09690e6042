using Codex.Auth.Contracts;
using Codex.Auth.Infrastructure;
using Codex.Auth.Model;
using Codex.Auth.Tokens;
using Codex.Contracts;
using Codex.Messaging.Outbox;
using Codex.Security;
using Codex.Security.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Codex.Auth.Services;

/// <summary>A tenant admin's users: create or invite, list and search, deactivate and reactivate.</summary>
public sealed class UserAdminService(
    AuthDbContext db, UserManager<User> users, RoleService roles, SessionService sessions, TenantContext tenant,
    AuthEventLog log, IEventOutbox outbox, IOptions<AuthServiceOptions> options, TimeProvider clock)
{
    public const int MaxPageSize = 100;

    public async Task<UserDto> CreateAsync(CreateUserRequest request, CancellationToken cancellationToken)
    {
        var tenantId = tenant.RequiredTenantId;
        var requested = request.Roles is { Count: > 0 } named ? named.Distinct(StringComparer.Ordinal).ToList() : [SystemRoles.User];
        var grants = await roles.ResolveGrantableAsync(requested, cancellationToken);
        var baseRole = requested.FirstOrDefault(SystemRoles.IsSystem) ?? SystemRoles.User;
        var now = clock.GetUtcNow();
        var user = new User
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            Email = request.Email,
            UserName = request.Email,
            Role = baseRole,
            LockoutEnabled = true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var created = request.Password is { Length: > 0 } password
            ? await users.CreateAsync(user, password)
            : await users.CreateAsync(user);
        if (!created.Succeeded && created.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)))
        {
            throw new ConflictException($"A user with email '{request.Email}' already exists in this tenant.", "duplicate_email");
        }
        created.ThrowIfFailed(created.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ? "password" : "email");

        foreach (var role in grants.Where(r => r.Name != baseRole))
        {
            db.UserRoles.Add(new UserRole { UserId = user.Id, RoleId = role.Id, TenantId = tenantId, GrantedBy = tenant.UserId, GrantedAt = now });
        }
        var roleNames = grants.Select(r => r.Name).Append(baseRole).Distinct().ToList();
        var events = new List<IIntegrationEvent> { new UserRegistered(tenantId, user.Id, request.Email, roleNames) };
        if (request.Password is not { Length: > 0 })
        {
            // An invitation is a reset token: following it sets the password and proves the address.
            var token = await users.GeneratePasswordResetTokenAsync(user);
            events.Add(new UserInvited(tenantId, user.Id, request.Email, token, now + options.Value.EmailTokenLifetime));
        }
        log.Add(AuthEventLog.UserCreated, tenantId, user.Id, request.Email, new { roles = roleNames, invited = request.Password is null, by = tenant.UserId });
        await outbox.SaveChangesAsync(events, cancellationToken);
        return await GetAsync(user.Id, cancellationToken);
    }

    public async Task<PagedList<UserDto>> ListAsync(string? search, int page, int pageSize, CancellationToken cancellationToken)
    {
        Paging.Validate(page, pageSize, MaxPageSize);
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = LikePattern.Containing(search.ToUpperInvariant());
            query = query.Where(u => EF.Functions.Like(u.NormalizedEmail!, pattern));
        }
        var total = await query.CountAsync(cancellationToken);
        var users = await query.OrderBy(u => u.NormalizedEmail).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new PagedList<UserDto>(await ToDtosAsync(users, cancellationToken), page, pageSize, total);
    }

    public async Task<UserDto> GetAsync(Guid id, CancellationToken cancellationToken) =>
        (await ToDtosAsync([await Find(id, cancellationToken)], cancellationToken))[0];

    /// <summary>The users with their live grants: one query for the grants of the whole page.</summary>
    private async Task<List<UserDto>> ToDtosAsync(List<User> users, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var ids = users.Select(u => u.Id).ToList();
        var grants = (await db.UserRoles.AsNoTracking()
                .Where(g => ids.Contains(g.UserId) && (g.ExpiresAt == null || g.ExpiresAt > now))
                .Select(g => new { g.UserId, g.Role!.Name })
                .ToListAsync(cancellationToken))
            .ToLookup(g => g.UserId, g => g.Name);
        return users.Select(user => new UserDto(
            user.Id, user.TenantId, user.Email!, user.Role, grants[user.Id].Prepend(user.Role).Distinct().ToList(), user.IsActive,
            user.EmailConfirmed, user.TwoFactorEnabled, user.LastLogin, user.LockoutEnd > now ? user.LockoutEnd : null, user.CreatedAt)).ToList();
    }

    /// <summary>Deactivates a user: sign-in and refresh stop and every session ends.</summary>
    public async Task<UserDto> SetActiveAsync(Guid id, bool active, CancellationToken cancellationToken)
    {
        var user = await Find(id, cancellationToken);
        if (user.Id == tenant.UserId && !active)
        {
            throw new ConflictException("You cannot deactivate your own account.", "cannot_deactivate_self");
        }
        if (user.IsActive != active)
        {
            user.IsActive = active;
            user.UpdatedAt = clock.GetUtcNow();
            await users.UpdateSecurityStampAsync(user);
            log.Add(active ? AuthEventLog.UserReactivated : AuthEventLog.UserDeactivated, user.TenantId, user.Id, user.Email, new { by = tenant.UserId });
            await outbox.SaveChangesAsync(
                [active ? new UserReactivated(user.TenantId, user.Id) : new UserDeactivated(user.TenantId, user.Id)], cancellationToken);
            if (!active)
            {
                await sessions.RevokeAllAsync(user.Id, "user_deactivated", cancellationToken);
            }
        }
        return await GetAsync(id, cancellationToken);
    }

    private async Task<User> Find(Guid id, CancellationToken cancellationToken) =>
        await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken)
        ?? throw new NotFoundException($"User {id} was not found.");
}
