using System.Text.Json;
using Codex.Messaging;

namespace Codex.Platform.Tests;

/// <summary>
/// CRM's events as its outbox publishes them: the data of the records in Codex.Contracts' CrmEvents.cs, camelCase.
/// Built here field by field so Platform's tests need neither the CRM service nor its records.
/// </summary>
public static class CrmEnvelopes
{
    public static EventEnvelope CustomerCreated(string tenantId) =>
        Envelope("crm.customer.created", new { tenantId, customerId = Guid.NewGuid(), name = "Ada Customer", email = "ada@example.test" });

    public static EventEnvelope CustomerDeleted(string tenantId) => Envelope("crm.customer.deleted", new { tenantId, customerId = Guid.NewGuid() });

    public static EventEnvelope CustomerRestored(string tenantId) => Envelope("crm.customer.restored", new { tenantId, customerId = Guid.NewGuid() });

    public static EventEnvelope LeadCreated(string tenantId, Guid leadId, string status, decimal value, string currency, int probability) =>
        Envelope("crm.lead.created", new { tenantId, leadId, pipelineId = Guid.Empty, stage = "new", status, value, currency, probability });

    public static EventEnvelope LeadUpdated(
        string tenantId, Guid leadId, string status, (decimal Value, string Currency, int Probability) before, (decimal Value, string Currency, int Probability) after) =>
        Envelope("crm.lead.updated", new
        {
            tenantId, leadId, status, value = after.Value, currency = after.Currency, probability = after.Probability,
            previousValue = before.Value, previousCurrency = before.Currency, previousProbability = before.Probability,
        });

    public static EventEnvelope LeadStageChanged(string tenantId, Guid leadId, string previousStatus, string status, decimal value, string currency, int probability) =>
        Envelope("crm.lead.stage_changed", new
        {
            tenantId, leadId, pipelineId = Guid.Empty, from = "a", to = "b", previousStatus, status, value, currency, probability,
        });

    public static EventEnvelope LeadDeleted(string tenantId, Guid leadId, string status, decimal value, string currency, int probability) =>
        Envelope("crm.lead.deleted", new { tenantId, leadId, status, value, currency, probability });

    public static EventEnvelope Envelope(string type, object data)
    {
        var element = JsonSerializer.SerializeToElement(data, JsonSerializerOptions.Web);
        return new EventEnvelope(
            Guid.CreateVersion7(), type, element.GetProperty("tenantId").GetString(), DateTimeOffset.UtcNow, ResourceNames.Services.Crm, null, 1, element);
    }
}
