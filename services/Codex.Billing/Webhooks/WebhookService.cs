using System.Security.Cryptography;
using Codex.Billing.Infrastructure;
using Codex.Billing.Model;
using Codex.Billing.Services;
using Codex.Security.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Codex.Billing.Webhooks;

public sealed record WebhookEndpointRequest(string? Url, IReadOnlyList<string>? Events, string? Description = null);

public sealed record WebhookEndpointDto(Guid Id, string Url, IReadOnlyList<string> Events, string? Description, DateTimeOffset CreatedAt);

/// <summary>Answered once, at creation: the signing secret is never shown again.</summary>
public sealed record CreatedWebhookEndpoint(Guid Id, string Url, IReadOnlyList<string> Events, string? Description, DateTimeOffset CreatedAt, string Secret);

public sealed record WebhookDeliveryDto(
    Guid Id, string EventType, string Status, int Attempts, DateTimeOffset NextAttemptAt, int? LastStatusCode, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);

/// <summary>A tenant's webhook endpoints and each one's deliveries, with its dead-letter list and replay.</summary>
public sealed class WebhookService(
    BillingDbContext db, TenantContext tenant, IDataProtectionProvider protection, IOptions<WebhookOptions> options, BillingClock clock)
{
    public const int MaxEndpoints = 20;
    public const int MaxList = 100;

    /// <summary>What an endpoint may ask for: each event by name, or a family with <c>.*</c>.</summary>
    public static readonly IReadOnlyList<string> EventNames =
    [
        "invoice.issued", "invoice.paid", "invoice.voided", "invoice.uncollectible",
        "subscription.created", "subscription.plan_changed", "subscription.trial_ended", "subscription.renewed", "subscription.cancelled",
        "subscription.ended", "subscription.past_due", "subscription.reactivated",
    ];

    private readonly IDataProtector _protector = protection.CreateProtector("Codex.Billing.Webhooks.Secret");

    internal string Unprotect(WebhookEndpoint endpoint) => _protector.Unprotect(endpoint.ProtectedSecret);

    public async Task<CreatedWebhookEndpoint> CreateAsync(WebhookEndpointRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var url = Uri.TryCreate(request.Url, UriKind.Absolute, out var parsed) ? parsed : null;
        errors.AddIf(url is null || url.Scheme != Uri.UriSchemeHttps && !(options.Value.AllowInsecureUrls && url.Scheme == Uri.UriSchemeHttp)
            || (request.Url?.Length ?? 0) > 2000, "url", options.Value.AllowInsecureUrls ? "url is an absolute http(s) URL." : "url is an absolute https URL.");
        var events = (request.Events ?? []).Distinct(StringComparer.Ordinal).ToList();
        errors.AddIf(events.Count == 0, "events", "Name the events to send: invoice.*, subscription.* or single events such as invoice.paid.");
        foreach (var name in events.Where(name => !IsKnown(name)))
        {
            errors.Add("events", $"'{name}' is not a billing event; the events are {string.Join(", ", EventNames)} (or invoice.*, subscription.*).");
        }
        errors.AddIf(request.Description?.Length > 200, "description", "description is up to 200 characters.");
        errors.ThrowIfAny();
        if (await db.WebhookEndpoints.CountAsync(cancellationToken) >= MaxEndpoints)
        {
            throw new ConflictException($"A tenant has up to {MaxEndpoints} webhook endpoints.", "webhook_endpoints_full");
        }
        var secret = $"whsec_{Base64Url(RandomNumberGenerator.GetBytes(32))}";
        var endpoint = new WebhookEndpoint
        {
            Id = Guid.CreateVersion7(), TenantId = tenant.RequiredTenantId, Url = url!.ToString(), Description = request.Description,
            Events = events, ProtectedSecret = _protector.Protect(secret), CreatedAt = clock.Now,
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedWebhookEndpoint(endpoint.Id, endpoint.Url, endpoint.Events, endpoint.Description, endpoint.CreatedAt, secret);
    }

    public async Task<IReadOnlyList<WebhookEndpointDto>> ListAsync(CancellationToken cancellationToken) =>
        (await db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.Id).ToListAsync(cancellationToken)).Select(ToDto).ToList();

    /// <summary>Removes the endpoint and its deliveries, sent or not.</summary>
    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        db.WebhookEndpoints.Remove(await FindAsync(id, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<WebhookDeliveryDto>> DeliveriesAsync(Guid id, string? status, CancellationToken cancellationToken)
    {
        await FindAsync(id, cancellationToken);
        if (status is not null && !WebhookDeliveryStatuses.All.Contains(status))
        {
            throw new ValidationException("status", $"status is one of {string.Join(", ", WebhookDeliveryStatuses.All)}.");
        }
        var deliveries = db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == id);
        if (status is not null)
        {
            deliveries = deliveries.Where(d => d.Status == status);
        }
        return (await deliveries.OrderByDescending(d => d.Id).Take(MaxList).ToListAsync(cancellationToken)).Select(ToDto).ToList();
    }

    /// <summary>Sends one delivery again from the start (a dead one, or one the receiver lost after taking it).</summary>
    public async Task<WebhookDeliveryDto> ReplayAsync(Guid id, Guid deliveryId, CancellationToken cancellationToken)
    {
        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == deliveryId && d.EndpointId == id, cancellationToken)
            ?? throw new NotFoundException($"Delivery '{deliveryId}' was not found.", "webhook_delivery_not_found");
        Requeue(delivery);
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(delivery);
    }

    /// <summary>Every delivery on the endpoint's dead-letter list goes out again; answers how many.</summary>
    public async Task<int> ReplayDeadAsync(Guid id, CancellationToken cancellationToken)
    {
        await FindAsync(id, cancellationToken);
        var dead = await db.WebhookDeliveries.Where(d => d.EndpointId == id && d.Status == WebhookDeliveryStatuses.Dead).ToListAsync(cancellationToken);
        dead.ForEach(Requeue);
        await db.SaveChangesAsync(cancellationToken);
        return dead.Count;
    }

    private void Requeue(WebhookDelivery delivery)
    {
        delivery.Status = WebhookDeliveryStatuses.Pending;
        delivery.Attempts = 0;
        delivery.NextAttemptAt = clock.Now;
        delivery.LastError = null;
        delivery.LastStatusCode = null;
    }

    private async Task<WebhookEndpoint> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, cancellationToken)
            ?? throw new NotFoundException($"Webhook endpoint '{id}' was not found.", "webhook_endpoint_not_found");

    private static bool IsKnown(string name) => EventNames.Contains(name) || name is "invoice.*" or "subscription.*";

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static WebhookEndpointDto ToDto(WebhookEndpoint e) => new(e.Id, e.Url, e.Events, e.Description, e.CreatedAt);

    private static WebhookDeliveryDto ToDto(WebhookDelivery d) =>
        new(d.Id, d.EventType, d.Status, d.Attempts, d.NextAttemptAt, d.LastStatusCode, d.LastError, d.CreatedAt, d.DeliveredAt);
}
