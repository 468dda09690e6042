using System.Text.Json;
using Codex.Billing.Infrastructure;
using Codex.Billing.Model;
using Codex.Billing.Services;
using Codex.Contracts;
using Codex.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Codex.Billing.Webhooks;

/// <summary>
/// Billing's outbox with its tenants' webhooks: every <c>billing.invoice.*</c> and <c>billing.subscription.*</c> event
/// written also becomes a delivery for each of the tenant's endpoints that wants it, in the same transaction, so an
/// event that happened is never without its deliveries.
/// </summary>
public sealed class WebhookOutbox(IEventOutbox inner, BillingDbContext db, BillingClock clock) : IEventOutbox
{
    private static readonly string[] Published = ["billing.invoice.", "billing.subscription."];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task SaveChangesAsync(IEnumerable<IIntegrationEvent> events, CancellationToken cancellationToken = default)
    {
        var list = events.ToList();
        var outgoing = list.Select(e => (Event: e, Type: EventTypes.Of(e.GetType()).Name))
            .Where(e => Published.Any(prefix => e.Type.StartsWith(prefix, StringComparison.Ordinal))).ToList();
        if (outgoing.Count > 0)
        {
            var endpoints = await db.WebhookEndpoints.AsNoTracking().ToListAsync(cancellationToken);
            var now = clock.Now;
            foreach (var (@event, type) in outgoing)
            {
                var name = type["billing.".Length..];
                foreach (var endpoint in endpoints.Where(e => e.TenantId == @event.TenantId && e.Wants(name)))
                {
                    var id = Guid.CreateVersion7();
                    db.WebhookDeliveries.Add(new WebhookDelivery
                    {
                        Id = id,
                        TenantId = endpoint.TenantId,
                        EndpointId = endpoint.Id,
                        EventType = name,
                        Payload = JsonSerializer.Serialize(new { id, type = name, createdAt = now, tenantId = @event.TenantId, data = (object)@event }, Json),
                        Status = WebhookDeliveryStatuses.Pending,
                        NextAttemptAt = now,
                        CreatedAt = now,
                    });
                }
            }
        }
        await inner.SaveChangesAsync(list, cancellationToken);
    }
}
