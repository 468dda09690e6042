using Codex.Auth.Contracts;
using Codex.Auth.Infrastructure;
using Codex.Auth.Model;
using Codex.Auth.Tokens;
using Codex.Contracts;
using Codex.Messaging.Outbox;
using Codex.Security;
using Codex.Security.Authorization;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Auth.Services;

/// <summary>
/// API keys: <c>cdx_&lt;8 visible&gt;.&lt;secret&gt;</c>. The whole key is shown once; the table keeps the
/// visible prefix and a SHA-256 hash. Introspection answers the gateway: active or not, and why.
/// </summary>
public sealed class ApiKeyService(
    AuthDbContext db, TenantContext tenant, AuthEventLog log, IEventOutbox outbox, AccessTokenIssuer tokens, TokenRevocation revocation, TimeProvider clock)
{
    public const string KeyPrefix = "cdx_";

    // last_used_at is advisory: written at most once a minute per key, not on every request.
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<CreatedApiKey> CreateAsync(CreateApiKeyRequest request, System.Security.Claims.ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        var tenantId = tenant.RequiredTenantId;
        if (tenantId == CodexClaims.PlatformTenant)
        {
            throw new ValidationException("tenant", "API keys belong to a tenant: name one with the X-Tenant-Id header.");
        }
        var now = clock.GetUtcNow();
        if (request.ExpiresAt is { } expires && expires <= now)
        {
            throw new ValidationException("expiresAt", "expiresAt must be in the future.");
        }
        var invalid = request.Scopes.Where(s => !Permissions.IsValid(s)).ToList();
        if (invalid.Count > 0)
        {
            throw new ValidationException("scopes", $"Not a scope: {string.Join(", ", invalid)} (expected e.g. crm.leads.read or crm.read).");
        }
        var scopes = request.Scopes.Select(Permissions.Normalize).ToList();
        var beyond = scopes.Where(s => !Permissions.Holds(caller, s)).ToList();
        if (beyond.Count > 0)
        {
            throw new ForbiddenException($"A key cannot hold scopes its creator lacks: {string.Join(", ", beyond)}.", "scope_not_held");
        }

        return await CreateTrustedAsync(request.Name, scopes, cancellationToken, request.ExpiresAt);
    }

    /// <summary>Creates a key without checking the caller (provisioning: the caller is Platform, not a user).</summary>
    internal async Task<CreatedApiKey> CreateTrustedAsync(string name, IReadOnlyCollection<string> scopes, CancellationToken cancellationToken, DateTimeOffset? expiresAt = null)
    {
        var tenantId = tenant.RequiredTenantId;
        var now = clock.GetUtcNow();
        var visible = Secrets.New("")[..8];
        var secret = $"{KeyPrefix}{visible}.{Secrets.New("")}";
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            Name = name,
            Prefix = KeyPrefix + visible,
            KeyHash = Secrets.Hash(secret),
            Scopes = scopes.Distinct().ToList(),
            CreatedBy = tenant.UserId,
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        db.ApiKeys.Add(key);
        log.Add(AuthEventLog.ApiKeyCreated, tenantId, tenant.UserId, data: new { keyId = key.Id, key.Prefix, key.Scopes });
        await outbox.SaveChangesAsync([new ApiKeyCreated(tenantId, key.Id, key.Prefix, key.Scopes)], cancellationToken);
        return new CreatedApiKey(ToDto(key), secret);
    }

    public async Task<IReadOnlyList<ApiKeyDto>> ListAsync(CancellationToken cancellationToken) =>
        (await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken)).Select(ToDto).ToList();

    /// <summary>Revokes a key; publishes <c>auth.apikey.revoked</c> so the gateway evicts it at once.</summary>
    public async Task RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken)
            ?? throw new NotFoundException($"API key {id} was not found.");
        if (key.RevokedAt is not null)
        {
            return;
        }
        key.RevokedAt = clock.GetUtcNow();
        log.Add(AuthEventLog.ApiKeyRevoked, key.TenantId, tenant.UserId, data: new { keyId = key.Id, key.Prefix });
        await outbox.SaveChangesAsync([new ApiKeyRevoked(key.TenantId, key.Id, key.Prefix)], cancellationToken);
        await revocation.KeyRevokedAsync(key.Id);
    }

    /// <summary>
    /// The gateway's token for a key presented without a user: the same checks as introspection, then a token
    /// whose permissions are the key's scopes, so every service enforces them as it enforces a user's.
    /// </summary>
    public async Task<KeyTokenResponse> TokenAsync(IntrospectRequest request, CancellationToken cancellationToken)
    {
        var key = await IntrospectAsync(request with { Scope = null }, cancellationToken);
        if (!key.Active)
        {
            return new KeyTokenResponse(false, Reason: key.Reason);
        }
        var (token, expires) = await tokens.IssueForKeyAsync(key.KeyId!.Value, key.TenantId!, key.Scopes!, key.ExpiresAt, cancellationToken);
        return new KeyTokenResponse(true, token, expires);
    }

    /// <summary>What the gateway needs to know about a presented key.</summary>
    public async Task<IntrospectResponse> IntrospectAsync(IntrospectRequest request, CancellationToken cancellationToken)
    {
        var hash = Secrets.Hash(request.Key);
        // The key is what names the tenant, so this lookup crosses tenants by design.
        ApiKey? key;
        using (db.AcrossTenants())
        {
            key = await db.ApiKeys.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(k => k.KeyHash == hash, cancellationToken);
        }
        var now = clock.GetUtcNow();
        if (key is null)
        {
            return new IntrospectResponse(false, Reason: "unknown");
        }
        var owner = await db.Tenants.AsNoTracking().Where(t => t.Id == key.TenantId)
            .Select(t => new { t.Status, t.Plan }).FirstOrDefaultAsync(cancellationToken);
        var reason = key.RevokedAt is not null ? "revoked"
            : key.ExpiresAt <= now ? "expired"
            : owner?.Status switch
            {
                TenantStatus.Active => null,
                TenantStatus.Suspended => "tenant_suspended",
                _ => "tenant_unknown",
            };
        reason ??= request.Scope is { Length: > 0 } scope && !Permissions.Allows(key.Scopes, scope) ? "insufficient_scope" : null;
        if (reason is not null)
        {
            return new IntrospectResponse(false, key.TenantId, key.Id, key.Prefix, key.Scopes, key.ExpiresAt, reason);
        }
        if (key.LastUsedAt is null || now - key.LastUsedAt > LastUsedResolution)
        {
            using (db.AcrossTenants())
            {
                await db.ApiKeys.IgnoreQueryFilters().Where(k => k.Id == key.Id)
                    .ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, now), cancellationToken);
            }
        }
        return new IntrospectResponse(true, key.TenantId, key.Id, key.Prefix, key.Scopes, key.ExpiresAt, Plan: owner?.Plan);
    }

    private static ApiKeyDto ToDto(ApiKey key) =>
        new(key.Id, key.Name, key.Prefix, key.Scopes, key.CreatedAt, key.ExpiresAt, key.LastUsedAt, key.RevokedAt);
}
