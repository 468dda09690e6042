using Codex.Contracts;
using Codex.Messaging.Outbox;
using Codex.Platform.Contracts;
using Codex.Platform.Infrastructure;
using Codex.Platform.Model;
using Microsoft.EntityFrameworkCore;

namespace Codex.Platform.Services;

/// <summary>Tenant lifecycle: create (and provision), update, suspend, reactivate, soft-delete; each publishes <c>platform.tenant.*</c>.</summary>
public sealed class TenantService(PlatformDbContext db, ProvisioningService provisioning, AuthProvisioningClient auth, IEventOutbox outbox, TimeProvider clock)
{
    public const int MaxPageSize = 100;

    /// <summary>
    /// Auth is asked first: a password or e-mail it refuses is the caller's 400 and nothing is written.
    /// If Auth cannot be reached the tenant is still created, its Auth step pending, and the key is
    /// issued later (<see cref="IssueKeyAsync"/>).
    /// </summary>
    public async Task<CreatedTenant> CreateAsync(CreateTenantRequest request, CancellationToken cancellationToken)
    {
        if (await db.Tenants.AnyAsync(t => t.Id == request.Id, cancellationToken))
        {
            throw new ConflictException($"A tenant with id '{request.Id}' already exists.", "duplicate_tenant");
        }
        await EnsureClientAsync(request.ClientId, cancellationToken);
        var now = clock.GetUtcNow();
        var plan = request.Plan ?? "free";
        var tenant = new Tenant { Id = request.Id, Name = request.Name, Plan = plan, ClientId = request.ClientId, CreatedAt = now, UpdatedAt = now };
        var admin = new TenantAdmin { Id = Guid.CreateVersion7(), TenantId = tenant.Id, Email = request.AdminEmail, CreatedAt = now };
        var step = new ProvisioningStep
        {
            TenantId = tenant.Id, Service = ProvisioningService.AuthStep, NextAttemptAt = now, UpdatedAt = now,
            ProtectedInput = provisioning.Protect(request.AdminPassword),
        };

        var outcome = await auth.ProvisionAsync(tenant.Id, new AuthProvisionRequest(tenant.Name, admin.Email, request.AdminPassword, plan), cancellationToken);
        if (outcome is CallOutcome<AuthProvisionedAdmin>.Refused refused)
        {
            throw Rejected(refused);
        }
        provisioning.Record(step, outcome, admin);
        db.Tenants.Add(tenant);
        db.Admins.Add(admin);
        db.ProvisioningSteps.Add(step);
        await outbox.SaveChangesAsync([new TenantCreated(tenant.Id, tenant.Name, tenant.ClientId?.ToString() ?? "", tenant.Plan)], cancellationToken);

        var key = step.Status == ProvisioningStatus.Done ? await auth.IssueKeyAsync(tenant.Id, cancellationToken) : null;
        var issued = key as CallOutcome<AuthCreatedKey>.Done;
        return new CreatedTenant(await GetAsync(tenant.Id, cancellationToken), issued?.Value.Key, issued?.Value.ApiKey.Prefix);
    }

    /// <summary>A new provisioned API key for the tenant (the previous one is revoked); answered once.</summary>
    public async Task<IssuedApiKey> IssueKeyAsync(string id, CancellationToken cancellationToken)
    {
        var tenant = await FindAsync(id, cancellationToken);
        if (tenant.Status == TenantStatus.Deleted)
        {
            throw new ConflictException($"Tenant '{id}' is deleted.", "tenant_deleted");
        }
        var step = await db.ProvisioningSteps.AsNoTracking().FirstAsync(s => s.TenantId == id && s.Service == ProvisioningService.AuthStep, cancellationToken);
        if (step.Status != ProvisioningStatus.Done)
        {
            throw new ConflictException($"Tenant '{id}' is not provisioned in Auth yet ({step.Status}).", "provisioning_incomplete");
        }
        return await auth.IssueKeyAsync(id, cancellationToken) switch
        {
            CallOutcome<AuthCreatedKey>.Done done => new IssuedApiKey(done.Value.Key, done.Value.ApiKey.Prefix),
            CallOutcome<AuthCreatedKey>.Refused refused => throw Rejected(refused),
            CallOutcome<AuthCreatedKey>.Unavailable unavailable => throw new ServiceUnavailableException(unavailable.Reason, "auth_unavailable"),
            _ => throw new InvalidOperationException(),
        };
    }

    /// <summary>Sets failed or pending steps going again now (with a new admin password if given) and tries once.</summary>
    public async Task<TenantDto> RetryProvisioningAsync(string id, RetryProvisioningRequest request, CancellationToken cancellationToken)
    {
        var tenant = await FindAsync(id, cancellationToken);
        var steps = await db.ProvisioningSteps.Where(s => s.TenantId == id && s.Status != ProvisioningStatus.Done).ToListAsync(cancellationToken);
        foreach (var step in steps)
        {
            if (request.AdminPassword is { Length: > 0 })
            {
                step.ProtectedInput = provisioning.Protect(request.AdminPassword);
            }
            await provisioning.RunAsync(tenant, step, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        return await GetAsync(id, cancellationToken);
    }

    public async Task<TenantDto> UpdateAsync(string id, UpdateTenantRequest request, CancellationToken cancellationToken)
    {
        var tenant = await FindLiveAsync(id, cancellationToken);
        await EnsureClientAsync(request.ClientId, cancellationToken);
        tenant.Name = request.Name;
        tenant.Plan = request.Plan;
        tenant.ClientId = request.ClientId;
        tenant.UpdatedAt = clock.GetUtcNow();
        await outbox.SaveChangesAsync([new TenantUpdated(tenant.Id, tenant.Name, tenant.Plan)], cancellationToken);
        return await GetAsync(id, cancellationToken);
    }

    public async Task<TenantDto> SuspendAsync(string id, SuspendTenantRequest request, CancellationToken cancellationToken)
    {
        var tenant = await FindLiveAsync(id, cancellationToken);
        if (tenant.Status != TenantStatus.Suspended)
        {
            tenant.Status = TenantStatus.Suspended;
            tenant.SuspendedReason = request.Reason;
            tenant.UpdatedAt = clock.GetUtcNow();
            await outbox.SaveChangesAsync([new TenantSuspended(tenant.Id, request.Reason)], cancellationToken);
        }
        return await GetAsync(id, cancellationToken);
    }

    public async Task<TenantDto> ReactivateAsync(string id, CancellationToken cancellationToken)
    {
        var tenant = await FindLiveAsync(id, cancellationToken);
        if (tenant.Status != TenantStatus.Active)
        {
            tenant.Status = TenantStatus.Active;
            tenant.SuspendedReason = null;
            tenant.UpdatedAt = clock.GetUtcNow();
            await outbox.SaveChangesAsync([new TenantReactivated(tenant.Id)], cancellationToken);
        }
        return await GetAsync(id, cancellationToken);
    }

    /// <summary>Soft delete: the row stays (audit, lineage), the services drop the tenant on <c>platform.tenant.deleted</c>.</summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var tenant = await FindAsync(id, cancellationToken);
        if (tenant.Status == TenantStatus.Deleted)
        {
            return;
        }
        var now = clock.GetUtcNow();
        tenant.Status = TenantStatus.Deleted;
        tenant.DeletedAt = now;
        tenant.UpdatedAt = now;
        await outbox.SaveChangesAsync([new TenantDeleted(tenant.Id)], cancellationToken);
    }

    public async Task<TenantDto> GetAsync(string id, CancellationToken cancellationToken) =>
        (await ToDtosAsync([await FindAsync(id, cancellationToken)], cancellationToken))[0];

    public async Task<IReadOnlyList<TenantAdminDto>> AdminsAsync(string id, CancellationToken cancellationToken) =>
        await db.Admins.AsNoTracking().Where(a => a.TenantId == id).OrderBy(a => a.CreatedAt)
            .Select(a => new TenantAdminDto(a.Email, a.AuthUserId, a.Invited, a.CreatedAt)).ToListAsync(cancellationToken);

    public async Task<PagedList<TenantDto>> ListAsync(string? search, string? status, Guid? clientId, int page, int pageSize, CancellationToken cancellationToken)
    {
        Paging.Validate(page, pageSize, MaxPageSize);
        var query = db.Tenants.AsNoTracking();
        if (status is { Length: > 0 })
        {
            if (!Enum.TryParse<TenantStatus>(status, ignoreCase: true, out var wanted))
            {
                throw new ValidationException("status", "status is one of active, suspended, deleted.");
            }
            query = query.Where(t => t.Status == wanted);
        }
        else
        {
            query = query.Where(t => t.Status != TenantStatus.Deleted);
        }
        if (search is { Length: > 0 })
        {
            var pattern = LikePattern.Containing(search);
            query = query.Where(t => EF.Functions.ILike(t.Id, pattern) || EF.Functions.ILike(t.Name, pattern));
        }
        if (clientId is { } client)
        {
            query = query.Where(t => t.ClientId == client);
        }
        var total = await query.CountAsync(cancellationToken);
        var tenants = await query.OrderBy(t => t.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new PagedList<TenantDto>(await ToDtosAsync(tenants, cancellationToken), page, pageSize, total);
    }

    private async Task<List<TenantDto>> ToDtosAsync(IReadOnlyList<Tenant> tenants, CancellationToken cancellationToken)
    {
        var ids = tenants.Select(t => t.Id).ToList();
        var steps = await db.ProvisioningSteps.AsNoTracking().Where(s => ids.Contains(s.TenantId)).ToListAsync(cancellationToken);
        return tenants.Select(t => new TenantDto(
            t.Id, t.Name, t.Plan, t.Status.ToString().ToLowerInvariant(), t.ClientId, t.SuspendedReason, t.CreatedAt, t.UpdatedAt,
            steps.Where(s => s.TenantId == t.Id).OrderBy(s => s.Service)
                .Select(s => new ProvisioningStepDto(s.Service, s.Status.ToString().ToLowerInvariant(), s.Attempts, s.LastError, s.UpdatedAt, s.CompletedAt))
                .ToList())).ToList();
    }

    private async Task<Tenant> FindAsync(string id, CancellationToken cancellationToken) =>
        await db.Tenants.FirstOrDefaultAsync(t => t.Id == id, cancellationToken) ?? throw new NotFoundException($"Tenant '{id}' was not found.");

    private async Task<Tenant> FindLiveAsync(string id, CancellationToken cancellationToken)
    {
        var tenant = await FindAsync(id, cancellationToken);
        return tenant.Status == TenantStatus.Deleted ? throw new ConflictException($"Tenant '{id}' is deleted.", "tenant_deleted") : tenant;
    }

    private async Task EnsureClientAsync(Guid? clientId, CancellationToken cancellationToken)
    {
        if (clientId is { } id && !await db.Clients.AnyAsync(c => c.Id == id && c.DeletedAt == null, cancellationToken))
        {
            throw new ValidationException("clientId", $"No client {id}.");
        }
    }

    private static ProblemException Rejected<T>(CallOutcome<T>.Refused refused) => refused.Status switch
    {
        400 or 422 => new ValidationException(
            refused.Errors?.ToDictionary(e => e.Key switch { "password" => "adminPassword", "email" => "adminEmail", _ => e.Key }, e => e.Value)
            ?? new Dictionary<string, string[]> { ["adminEmail"] = [refused.Reason] }),
        409 => new ConflictException(refused.Reason),
        404 => new NotFoundException(refused.Reason),
        _ => new ServiceUnavailableException($"Auth refused the call: {refused.Reason}", "auth_refused"),
    };
}
