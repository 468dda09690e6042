using Codex.Messaging;
using Codex.Messaging.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Codex;

/// <summary>The superadmin's view of a service's event bus: its dead-letter queue and its outbox.</summary>
public static class DeadLetterApi
{
    public const int MaxListLimit = 500;

    /// <summary>
    /// <c>GET /api/v1/&lt;service&gt;/admin/dead-letters?limit=</c>, <c>POST …/{messageId}/replay</c>,
    /// <c>POST …/replay</c> and <c>GET /api/v1/&lt;service&gt;/admin/outbox</c>, behind the event bus's
    /// admin policy (superadmin). Answers the admin group.
    /// </summary>
    public static RouteGroupBuilder MapDeadLetterApi(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<EventBusOptions>>().Value;
        var admin = app.MapGroup($"/api/v1/{options.ServiceName}/admin").RequireAuthorization(options.AdminPolicy);
        var group = admin.MapGroup("/dead-letters").WithTags("Dead letters");
        group.MapGet("/", ListDeadLetters).WithName("ListDeadLetters").WithSummary("Messages in this service's dead-letter queue, oldest first.");
        group.MapPost("/{messageId}/replay", ReplayDeadLetter).WithName("ReplayDeadLetter").WithSummary("Sends one dead letter back to this service's queue.");
        group.MapPost("/replay", ReplayAllDeadLetters).WithName("ReplayAllDeadLetters").WithSummary("Sends every dead letter back to this service's queue.");
        admin.MapOutboxApi();
        return admin;
    }

    private static async Task<Ok<IReadOnlyList<DeadLetter>>> ListDeadLetters(DeadLetterQueue queue, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > MaxListLimit)
        {
            throw new Codex.ValidationException("limit", $"limit must be between 1 and {MaxListLimit}.");
        }
        return TypedResults.Ok(await queue.ListAsync(limit ?? 50, ct));
    }

    private static async Task<Results<Accepted<ReplayResult>, NotFound>> ReplayDeadLetter(DeadLetterQueue queue, string messageId, CancellationToken ct) =>
        await queue.ReplayAsync(messageId, ct) == 0
            ? throw new Codex.NotFoundException($"No dead letter with message id '{messageId}'.")
            : TypedResults.Accepted((string?)null, new ReplayResult(1));

    private static async Task<Accepted<ReplayResult>> ReplayAllDeadLetters(DeadLetterQueue queue, CancellationToken ct) =>
        TypedResults.Accepted((string?)null, new ReplayResult(await queue.ReplayAsync(null, ct)));

    /// <summary>How many messages went back to the queue.</summary>
    public sealed record ReplayResult(int Replayed);
}
