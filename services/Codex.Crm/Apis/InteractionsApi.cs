using Codex.Crm.Contracts;
using Codex.Crm.Services;
using Codex.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Crm.Apis;

public static class InteractionsApi
{
    public static RouteGroupBuilder MapInteractionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/crm/interactions").WithTags("Interactions");
        api.MapPost("/", LogInteraction).RequirePermission("crm.interactions.write").WithName("LogInteraction")
            .WithSummary("Log an email, call, meeting or note against a customer or a lead.");
        api.MapGet("/{id:guid}", GetInteraction).RequirePermission("crm.interactions.read").WithName("GetInteraction");
        return api;
    }

    public static async Task<Created<InteractionDto>> LogInteraction(LogInteractionRequest request, InteractionService interactions, CancellationToken cancellationToken)
    {
        var interaction = await interactions.LogAsync(request, cancellationToken);
        return TypedResults.Created($"/api/v1/crm/interactions/{interaction.Id}", interaction);
    }

    public static async Task<Ok<InteractionDto>> GetInteraction(Guid id, InteractionService interactions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await interactions.GetAsync(id, cancellationToken));
}
