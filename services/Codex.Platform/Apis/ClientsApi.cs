using Codex.Platform.Contracts;
using Codex.Platform.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Platform.Apis;

public static class ClientsApi
{
    public static void MapClientsApi(this RouteGroupBuilder platform)
    {
        var clients = platform.MapGroup("/clients").WithTags("Clients");
        clients.MapGet("/", List).WithName("ListClients");
        clients.MapPost("/", Create).WithName("CreateClient");
        clients.MapGet("/{id:guid}", Get).WithName("GetClient");
        clients.MapPut("/{id:guid}", Update).WithName("UpdateClient");
        clients.MapDelete("/{id:guid}", Delete).WithName("DeleteClient");
    }

    public static async Task<Ok<PagedList<ClientDto>>> List(ClientService clients, CancellationToken cancellationToken, string? search = null, int page = 1, int pageSize = 25) =>
        TypedResults.Ok(await clients.ListAsync(search, page, pageSize, cancellationToken));

    public static async Task<Created<ClientDto>> Create(ClientRequest request, ClientService clients, CancellationToken cancellationToken)
    {
        var client = await clients.CreateAsync(request, cancellationToken);
        return TypedResults.Created($"/api/v1/platform/clients/{client.Id}", client);
    }

    public static async Task<Ok<ClientDto>> Get(Guid id, ClientService clients, CancellationToken cancellationToken) =>
        TypedResults.Ok(await clients.GetAsync(id, cancellationToken));

    public static async Task<Ok<ClientDto>> Update(Guid id, ClientRequest request, ClientService clients, CancellationToken cancellationToken) =>
        TypedResults.Ok(await clients.UpdateAsync(id, request, cancellationToken));

    public static async Task<NoContent> Delete(Guid id, ClientService clients, CancellationToken cancellationToken)
    {
        await clients.DeleteAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }
}
