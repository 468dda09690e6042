using System.Text.Json;
using Codex.Contracts;
using Codex.Messaging;
using Events = Codex.Contracts;

namespace Codex.Platform.Tests;

/// <summary>
/// CRM's events as its outbox publishes them, from the records in Codex.Contracts, so a renamed field
/// breaks these tests too. <see cref="Envelope"/> builds the malformed ones a record cannot express.
/// </summary>
public static class CrmEnvelopes
{
    public static EventEnvelope CustomerCreated(string tenantId) => Crm(new Events.CustomerCreated(tenantId, Guid.NewGuid(), "Ada Customer", "ada@example.test"));

    public static EventEnvelope CustomerDeleted(string tenantId) => Crm(new Events.CustomerDeleted(tenantId, Guid.NewGuid()));

    public static EventEnvelope CustomerRestored(string tenantId) => Crm(new Events.CustomerRestored(tenantId, Guid.NewGuid()));

    public static EventEnvelope LeadCreated(string tenantId, Guid leadId, string status, decimal value, string currency, int probability) =>
        Crm(new Events.LeadCreated(tenantId, leadId, Guid.Empty, "new", status, value, currency, probability));

    public static EventEnvelope LeadUpdated(
        string tenantId, Guid leadId, string status, (decimal Value, string Currency, int Probability) before, (decimal Value, string Currency, int Probability) after) =>
        Crm(new Events.LeadUpdated(tenantId, leadId, status, after.Value, after.Currency, after.Probability, before.Value, before.Currency, before.Probability));

    public static EventEnvelope LeadStageChanged(string tenantId, Guid leadId, string previousStatus, string status, decimal value, string currency, int probability) =>
        Crm(new Events.LeadStageChanged(tenantId, leadId, Guid.Empty, "a", "b", previousStatus, status, value, currency, probability));

    public static EventEnvelope LeadDeleted(string tenantId, Guid leadId, string status, decimal value, string currency, int probability) =>
        Crm(new Events.LeadDeleted(tenantId, leadId, status, value, currency, probability));

    private static EventEnvelope Crm(IIntegrationEvent @event) => EventEnvelope.Create(@event, ResourceNames.Services.Crm, TimeProvider.System);

    public static EventEnvelope Envelope(string type, object data)
    {
        var element = JsonSerializer.SerializeToElement(data, JsonSerializerOptions.Web);
        return new EventEnvelope(
            Guid.CreateVersion7(), type, element.GetProperty("tenantId").GetString(), DateTimeOffset.UtcNow, ResourceNames.Services.Crm, null, 1, element);
    }
}
