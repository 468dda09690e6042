using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Codex.Messaging.Admin;

/// <summary>The superadmin's view of a service's outbox: what the relay has not yet published.</summary>
public static class OutboxApi
{
    /// <summary><c>GET /api/v1/&lt;service&gt;/admin/outbox</c>, on the admin group that <c>MapDeadLetterApi</c> makes.</summary>
    internal static void MapOutboxApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/outbox", GetOutboxBacklog).WithTags("Outbox").WithName("GetOutboxBacklog")
            .WithSummary("Outbox rows not yet published: how many, the oldest one's occurredAt and its age in seconds.");
    }

    private static async Task<Ok<OutboxBacklog>> GetOutboxBacklog(IOutboxBacklogReader outbox, CancellationToken ct) =>
        TypedResults.Ok(await outbox.ReadAsync(ct));
}
