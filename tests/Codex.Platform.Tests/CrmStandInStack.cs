using System.Collections.Concurrent;
using System.Text.Json;
using Codex.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Codex.Platform.Tests;

/// <summary>
/// The stack plus a stand-in for one route of CRM, <c>GET /internal/summary/{tenantId}</c>, answering what a test
/// set for the tenant (404 otherwise): it lets a test set exactly what CRM answers, and only reconciliation calls it (CRM's own tests run the real service).
/// CRM's events go through RabbitMQ for real.
/// </summary>
public sealed class CrmStandInStack : PlatformStack
{
    private Downstream? _crm;

    /// <summary>What the stand-in answers per tenant, as CRM's own summary endpoint would.</summary>
    public ConcurrentDictionary<string, JsonElement> CrmSummaries { get; } = new();

    protected override async Task<IDictionary<string, string?>> StartDownstreamAsync()
    {
        _crm = await Downstream.StartAsync(app => app.MapGet("/internal/summary/{tenantId}", (string tenantId) =>
            CrmSummaries.TryGetValue(tenantId, out var summary) ? Results.Json(summary) : Results.NotFound()));
        return new Dictionary<string, string?> { [$"services:{ResourceNames.Services.Crm}:http:0"] = _crm.Url };
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_crm is not null)
        {
            await _crm.DisposeAsync();
        }
    }
}
