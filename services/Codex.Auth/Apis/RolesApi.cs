using Codex.Auth.Contracts;
using Codex.Auth.Services;
using Codex.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Auth.Apis;

/// <summary>Roles: the system four and the tenant's own.</summary>
public static class RolesApi
{
    public static RouteGroupBuilder MapRolesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/auth/roles").WithTags("Roles");
        api.MapGet("/", ListRoles).RequirePermission("auth.roles.read").WithName("ListRoles");
        api.MapPost("/", CreateRole).RequirePermission("auth.roles.write").WithName("CreateRole").WithSummary("A tenant role: a name and permission strings.");
        api.MapPut("/{id:guid}", UpdateRole).RequirePermission("auth.roles.write").WithName("UpdateRole");
        api.MapDelete("/{id:guid}", DeleteRole).RequirePermission("auth.roles.write").WithName("DeleteRole");
        return api;
    }

    public static async Task<Ok<IReadOnlyList<RoleDto>>> ListRoles(RoleService roles, CancellationToken cancellationToken) =>
        TypedResults.Ok(await roles.ListAsync(cancellationToken));

    public static async Task<Created<RoleDto>> CreateRole(RoleRequest request, RoleService roles, CancellationToken cancellationToken)
    {
        var role = await roles.CreateAsync(request, cancellationToken);
        return TypedResults.Created($"/api/v1/auth/roles/{role.Id}", role);
    }

    public static async Task<Ok<RoleDto>> UpdateRole(Guid id, RoleRequest request, RoleService roles, CancellationToken cancellationToken) =>
        TypedResults.Ok(await roles.UpdateAsync(id, request, cancellationToken));

    public static async Task<NoContent> DeleteRole(Guid id, RoleService roles, CancellationToken cancellationToken)
    {
        await roles.DeleteAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }
}
