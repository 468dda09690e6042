using System.Text.Json;

namespace Codex.Web.Api;

public sealed record ProvisioningStepDto(string Service, string Status, int Attempts, string? LastError, DateTimeOffset UpdatedAt, DateTimeOffset? CompletedAt);

public sealed record TenantDto(string Id, string Name, string Plan, string Status, Guid? ClientId, string? SuspendedReason,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<ProvisioningStepDto> Provisioning)
{
    /// <summary>Pending or failed steps, if any: provisioning is not finished.</summary>
    public string ProvisioningStatus =>
        Provisioning.Any(step => step.Status == "failed") ? "failed"
        : Provisioning.Any(step => step.Status == "pending") ? "pending"
        : "done";
}

/// <summary>Per service, per figure: <c>{ "auth": { "users": 3 }, "crm": { ... } }</c>.</summary>
public sealed class TenantSummary : Dictionary<string, Dictionary<string, JsonElement>>;

public sealed record TenantWithSummary(TenantDto Tenant, TenantSummary Summary);

public sealed record TenantAdminDto(string Email, Guid? AuthUserId, bool Invited, DateTimeOffset CreatedAt);

public sealed record TenantDetail(TenantDto Tenant, IReadOnlyList<TenantAdminDto> Admins, TenantSummary Summary);

public sealed record CreatedTenant(TenantDto Tenant, string? ApiKey, string? ApiKeyPrefix);

public sealed record IssuedApiKey(string ApiKey, string Prefix);

public sealed record AuditEntryDto(Guid Id, string TenantId, string Type, string? Actor, string Source, DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt, string? TraceId, JsonElement Data);

public sealed record SecurityEventDto(Guid Id, string TenantId, string Type, Guid? UserId, string? Email, string Source, DateTimeOffset OccurredAt, JsonElement Data);

public sealed record ConfigEntryDto(string Key, JsonElement Value, string? Description, DateTimeOffset UpdatedAt, string? UpdatedBy);

public sealed record SyncLag(double P50Ms, double P95Ms, double MaxMs, int Events);

public sealed record ServiceOverview(string Name, string Url, string? Version, string Status, double? ResponseMs, DateTimeOffset? LastCheckedAt,
    DateTimeOffset? LastHealthyAt, double? Availability24h, SyncLag? SyncLag5m, long? DeadLetters);

public sealed record HealthCheckDto(DateTimeOffset CheckedAt, string Status, double? ResponseMs, string? Error);

public sealed record EventsMinute(DateTimeOffset Minute, int Total, Dictionary<string, int> BySource);

public sealed record EventsPerMinute(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<EventsMinute> Minutes);

public sealed record OutboxBacklog(int Pending, DateTimeOffset? OldestPendingAt, double? OldestPendingAgeSeconds);

public sealed record DeadLetter(string? MessageId, string? Type, string? TenantId, string? Error, string? ErrorType, int Attempts, string? FailedAt, long? OccurredAtUnix);

public sealed record ReplayResult(int Replayed);

/// <summary>The ledger filters shared by the audit log and security events.</summary>
public sealed record LedgerFilter(string? TenantId, string? Actor, string? Type, DateTimeOffset? From, DateTimeOffset? To, int Page, int PageSize)
{
    public string ToQuery() =>
        $"page={Page}&pageSize={PageSize}{Query.Optional("tenantId", TenantId)}{Query.Optional("actor", Actor)}{Query.Optional("type", Type)}"
        + $"{Query.Optional("from", From)}{Query.Optional("to", To)}";
}

/// <summary>Platform's superadmin routes, and the event-bus admin routes every service maps.</summary>
public sealed class PlatformApi(GatewayApi gateway)
{
    private const string Base = "/api/v1/platform";

    public Task<PagedList<TenantWithSummary>> TenantsAsync(string? search, string? status, int page, int pageSize, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<PagedList<TenantWithSummary>>(
            $"{Base}/tenants?page={page}&pageSize={pageSize}{Query.Optional("search", search)}{Query.Optional("status", status)}", cancellationToken);

    public Task<CreatedTenant> CreateTenantAsync(string id, string name, string adminEmail, string? adminPassword, string? plan, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<CreatedTenant>(HttpMethod.Post, $"{Base}/tenants", new
        {
            id,
            name,
            adminEmail,
            adminPassword = string.IsNullOrEmpty(adminPassword) ? null : adminPassword,
            plan = string.IsNullOrWhiteSpace(plan) ? null : plan,
        }, cancellationToken);

    public Task<TenantDetail> TenantAsync(string id, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<TenantDetail>($"{Base}/tenants/{Uri.EscapeDataString(id)}", cancellationToken);

    public Task<TenantDto> SuspendAsync(string id, string reason, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<TenantDto>(HttpMethod.Post, $"{Base}/tenants/{Uri.EscapeDataString(id)}/suspend", new { reason }, cancellationToken);

    public Task<TenantDto> ReactivateAsync(string id, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<TenantDto>(HttpMethod.Post, $"{Base}/tenants/{Uri.EscapeDataString(id)}/reactivate", null, cancellationToken);

    public Task<TenantDto> RetryProvisioningAsync(string id, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<TenantDto>(HttpMethod.Post, $"{Base}/tenants/{Uri.EscapeDataString(id)}/provisioning/retry", new { }, cancellationToken);

    public Task<IssuedApiKey> ReissueKeyAsync(string id, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<IssuedApiKey>(HttpMethod.Post, $"{Base}/tenants/{Uri.EscapeDataString(id)}/api-key", null, cancellationToken);

    public Task<PagedList<AuditEntryDto>> AuditAsync(LedgerFilter filter, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<PagedList<AuditEntryDto>>($"{Base}/audit?{filter.ToQuery()}", cancellationToken);

    public Task<PagedList<SecurityEventDto>> SecurityEventsAsync(LedgerFilter filter, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<PagedList<SecurityEventDto>>($"{Base}/security-events?{filter.ToQuery()}", cancellationToken);

    public Task<List<ConfigEntryDto>> ConfigAsync(CancellationToken cancellationToken = default) =>
        gateway.GetAsync<List<ConfigEntryDto>>($"{Base}/config", cancellationToken);

    public Task<ConfigEntryDto> PutConfigAsync(string key, JsonElement value, string? description, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<ConfigEntryDto>(HttpMethod.Put, $"{Base}/config/{Uri.EscapeDataString(key)}", new { value, description }, cancellationToken);

    public Task DeleteConfigAsync(string key, CancellationToken cancellationToken = default) =>
        gateway.SendAsync(HttpMethod.Delete, $"{Base}/config/{Uri.EscapeDataString(key)}", null, cancellationToken);

    public Task<List<ServiceOverview>> ServicesAsync(CancellationToken cancellationToken = default) =>
        gateway.GetAsync<List<ServiceOverview>>($"{Base}/services", cancellationToken);

    public Task<List<HealthCheckDto>> HealthHistoryAsync(string service, int hours, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<List<HealthCheckDto>>($"{Base}/services/{Uri.EscapeDataString(service)}/health?hours={hours}", cancellationToken);

    public Task<EventsPerMinute> EventsPerMinuteAsync(int minutes, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<EventsPerMinute>($"{Base}/events/per-minute?minutes={minutes}", cancellationToken);

    /// <summary>A service's unsent events (its outbox), through its own event-bus admin route.</summary>
    public Task<OutboxBacklog> OutboxAsync(string service, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<OutboxBacklog>($"/api/v1/{Uri.EscapeDataString(service)}/admin/outbox", cancellationToken);

    public Task<List<DeadLetter>> DeadLettersAsync(string service, int limit, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<List<DeadLetter>>($"/api/v1/{Uri.EscapeDataString(service)}/admin/dead-letters?limit={limit}", cancellationToken);

    public Task<ReplayResult> ReplayDeadLettersAsync(string service, CancellationToken cancellationToken = default) =>
        gateway.SendAsync<ReplayResult>(HttpMethod.Post, $"/api/v1/{Uri.EscapeDataString(service)}/admin/dead-letters/replay", null, cancellationToken);
}
