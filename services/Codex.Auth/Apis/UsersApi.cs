using Codex.Auth.Contracts;
using Codex.Auth.Services;
using Codex.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Auth.Apis;

/// <summary>A tenant admin's users and their role grants.</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/auth/users").WithTags("Users");
        api.MapPost("/", CreateUser).RequirePermission("auth.users.write").WithName("CreateUser").WithSummary("Create a user, or invite one (no password).");
        api.MapGet("/", ListUsers).RequirePermission("auth.users.read").WithName("ListUsers").WithSummary("Users of the tenant, paged, searchable by email.");
        api.MapGet("/{id:guid}", GetUser).RequirePermission("auth.users.read").WithName("GetUser");
        api.MapPost("/{id:guid}/deactivate", Deactivate).RequirePermission("auth.users.write").WithName("DeactivateUser").WithSummary("Stop sign-in and end every session.");
        api.MapPost("/{id:guid}/reactivate", Reactivate).RequirePermission("auth.users.write").WithName("ReactivateUser");
        api.MapGet("/{id:guid}/roles", ListGrants).RequirePermission("auth.roles.read").WithName("ListUserRoles");
        api.MapPost("/{id:guid}/roles", Assign).RequirePermission("auth.roles.write").WithName("AssignRole").WithSummary("Grant a role, optionally until expiresAt.");
        api.MapDelete("/{id:guid}/roles/{role}", Unassign).RequirePermission("auth.roles.write").WithName("UnassignRole");
        return api;
    }

    public static async Task<Created<UserDto>> CreateUser(CreateUserRequest request, UserAdminService admin, CancellationToken cancellationToken)
    {
        var user = await admin.CreateAsync(request, cancellationToken);
        return TypedResults.Created($"/api/v1/auth/users/{user.Id}", user);
    }

    public static async Task<Ok<PagedList<UserDto>>> ListUsers(
        UserAdminService admin, CancellationToken cancellationToken, string? search = null, int page = 1, int pageSize = 20) =>
        TypedResults.Ok(await admin.ListAsync(search, page, pageSize, cancellationToken));

    public static async Task<Ok<UserDto>> GetUser(Guid id, UserAdminService admin, CancellationToken cancellationToken) =>
        TypedResults.Ok(await admin.GetAsync(id, cancellationToken));

    public static async Task<Ok<UserDto>> Deactivate(Guid id, UserAdminService admin, CancellationToken cancellationToken) =>
        TypedResults.Ok(await admin.SetActiveAsync(id, false, cancellationToken));

    public static async Task<Ok<UserDto>> Reactivate(Guid id, UserAdminService admin, CancellationToken cancellationToken) =>
        TypedResults.Ok(await admin.SetActiveAsync(id, true, cancellationToken));

    public static async Task<Ok<IReadOnlyList<UserRoleDto>>> ListGrants(Guid id, RoleService roles, CancellationToken cancellationToken) =>
        TypedResults.Ok(await roles.GrantsAsync(id, cancellationToken));

    public static async Task<Ok<UserRoleDto>> Assign(Guid id, AssignRoleRequest request, RoleService roles, CancellationToken cancellationToken) =>
        TypedResults.Ok(await roles.AssignAsync(id, request, cancellationToken));

    public static async Task<NoContent> Unassign(Guid id, string role, RoleService roles, CancellationToken cancellationToken)
    {
        await roles.UnassignAsync(id, role, cancellationToken);
        return TypedResults.NoContent();
    }
}
