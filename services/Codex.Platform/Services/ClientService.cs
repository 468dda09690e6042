using Codex.Contracts;
using Codex.Messaging.Outbox;
using Codex.Platform.Contracts;
using Codex.Platform.Infrastructure;
using Codex.Platform.Model;
using Codex.Security;
using Microsoft.EntityFrameworkCore;

namespace Codex.Platform.Services;

/// <summary>Business customers. Changes are published (as the platform tenant) so the audit log has them.</summary>
public sealed class ClientService(PlatformDbContext db, IEventOutbox outbox, TimeProvider clock)
{
    public async Task<ClientDto> CreateAsync(ClientRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var client = new Client { Id = Guid.CreateVersion7(), Name = request.Name, ContactEmail = request.ContactEmail, CreatedAt = now, UpdatedAt = now };
        db.Clients.Add(client);
        await outbox.SaveChangesAsync([new ClientCreated(CodexClaims.PlatformTenant, client.Id, client.Name)], cancellationToken);
        return await GetAsync(client.Id, cancellationToken);
    }

    public async Task<ClientDto> UpdateAsync(Guid id, ClientRequest request, CancellationToken cancellationToken)
    {
        var client = await FindAsync(id, cancellationToken);
        client.Name = request.Name;
        client.ContactEmail = request.ContactEmail;
        client.UpdatedAt = clock.GetUtcNow();
        await outbox.SaveChangesAsync([new ClientUpdated(CodexClaims.PlatformTenant, client.Id, client.Name)], cancellationToken);
        return await GetAsync(id, cancellationToken);
    }

    /// <summary>Soft delete; refused while the client still has tenants that are not deleted.</summary>
    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var client = await FindAsync(id, cancellationToken);
        if (await db.Tenants.AnyAsync(t => t.ClientId == id && t.Status != TenantStatus.Deleted, cancellationToken))
        {
            throw new ConflictException("The client still has tenants; delete or move them first.", "client_has_tenants");
        }
        client.DeletedAt = clock.GetUtcNow();
        await outbox.SaveChangesAsync([new ClientDeleted(CodexClaims.PlatformTenant, client.Id)], cancellationToken);
    }

    public async Task<ClientDto> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await Project(Live().Where(c => c.Id == id)).FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException($"Client {id} was not found.");

    public async Task<PagedList<ClientDto>> ListAsync(string? search, int page, int pageSize, CancellationToken cancellationToken)
    {
        Paging.Validate(page, pageSize, TenantService.MaxPageSize);
        var query = Live();
        if (search is { Length: > 0 })
        {
            var pattern = LikePattern.Containing(search);
            query = query.Where(c => EF.Functions.ILike(c.Name, pattern));
        }
        var total = await query.CountAsync(cancellationToken);
        var items = await Project(query.OrderBy(c => c.Name).ThenBy(c => c.Id).Skip((page - 1) * pageSize).Take(pageSize)).ToListAsync(cancellationToken);
        return new PagedList<ClientDto>(items, page, pageSize, total);
    }

    private IQueryable<Client> Live() => db.Clients.AsNoTracking().Where(c => c.DeletedAt == null);

    // Filters go before this: EF cannot filter on a record it constructs.
    private IQueryable<ClientDto> Project(IQueryable<Client> clients) =>
        clients.Select(c => new ClientDto(
            c.Id, c.Name, c.ContactEmail, db.Tenants.Count(t => t.ClientId == c.Id && t.Status != TenantStatus.Deleted), c.CreatedAt, c.UpdatedAt));

    private async Task<Client> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Clients.FirstOrDefaultAsync(c => c.Id == id && c.DeletedAt == null, cancellationToken) ?? throw new NotFoundException($"Client {id} was not found.");
}
