using System.Text.Json;
using Codex.Platform.Contracts;
using Codex.Platform.Model;
using Codex.Platform.Services;
using Codex.Platform.Summaries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Platform.Apis;

public static class TenantsApi
{
    public static void MapTenantsApi(this RouteGroupBuilder platform)
    {
        var tenants = platform.MapGroup("/tenants").WithTags("Tenants");
        tenants.MapGet("/", List).WithName("ListTenants").WithSummary("Tenants with their summaries, paged; search by id or name, filter by status or client.");
        tenants.MapPost("/", Create).WithName("CreateTenant").WithSummary("Create and provision a tenant; answers its first API key once.");
        tenants.MapGet("/{id}", Get).WithName("GetTenant").WithSummary("One tenant: status, provisioning, admins and summary.");
        tenants.MapPut("/{id}", Update).WithName("UpdateTenant");
        tenants.MapPost("/{id}/suspend", Suspend).WithName("SuspendTenant");
        tenants.MapPost("/{id}/reactivate", Reactivate).WithName("ReactivateTenant");
        tenants.MapDelete("/{id}", Delete).WithName("DeleteTenant").WithSummary("Soft delete: the services drop the tenant; Platform keeps its history.");
        tenants.MapGet("/{id}/summary", Summary).WithName("GetTenantSummary").WithSummary("Per service, the tenant's named figures; ?lineage=true adds what last set each.");
        tenants.MapPost("/{id}/provisioning/retry", RetryProvisioning).WithName("RetryProvisioning");
        tenants.MapPost("/{id}/api-key", IssueKey).WithName("IssueTenantApiKey").WithSummary("Issue the tenant's provisioned API key again (the previous one is revoked); answered once.");
        tenants.MapPost("/{id}/reconcile", Reconcile).WithName("ReconcileTenant");
    }

    public static async Task<Ok<PagedList<TenantWithSummary>>> List(
        TenantService tenants, SummaryReader summaries, CancellationToken cancellationToken,
        string? search = null, string? status = null, Guid? clientId = null, int page = 1, int pageSize = 25)
    {
        var list = await tenants.ListAsync(search, status, clientId, page, pageSize, cancellationToken);
        var figures = await summaries.ReadManyAsync(list.Items.Select(t => t.Id).ToList(), cancellationToken);
        return TypedResults.Ok(new PagedList<TenantWithSummary>(
            list.Items.Select(t => new TenantWithSummary(t, figures[t.Id])).ToList(), list.Page, list.PageSize, list.Total));
    }

    public static async Task<Results<Created<CreatedTenant>, Accepted<CreatedTenant>>> Create(CreateTenantRequest request, TenantService tenants, CancellationToken cancellationToken)
    {
        var created = await tenants.CreateAsync(request, cancellationToken);
        var location = $"/api/v1/platform/tenants/{created.Tenant.Id}";
        // 202 while a service has not finished its part: the key is issued once Auth has the tenant.
        return created.Tenant.Provisioning.All(s => s.Status == "done")
            ? TypedResults.Created(location, created)
            : TypedResults.Accepted(location, created);
    }

    public static async Task<Ok<TenantDetail>> Get(string id, TenantService tenants, SummaryReader summaries, CancellationToken cancellationToken)
    {
        var tenant = await tenants.GetAsync(id, cancellationToken);
        return TypedResults.Ok(new TenantDetail(tenant, await tenants.AdminsAsync(id, cancellationToken), await summaries.ReadAsync(id, cancellationToken)));
    }

    public static async Task<Ok<TenantDto>> Update(string id, UpdateTenantRequest request, TenantService tenants, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tenants.UpdateAsync(id, request, cancellationToken));

    public static async Task<Ok<TenantDto>> Suspend(string id, SuspendTenantRequest request, TenantService tenants, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tenants.SuspendAsync(id, request, cancellationToken));

    public static async Task<Ok<TenantDto>> Reactivate(string id, TenantService tenants, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tenants.ReactivateAsync(id, cancellationToken));

    public static async Task<NoContent> Delete(string id, TenantService tenants, CancellationToken cancellationToken)
    {
        await tenants.DeleteAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary><c>{"auth": {"users": 12, …}, …}</c>, or with lineage <c>{"auth": {"users": {"value": 12, "lineage": {…}}}}</c>.</summary>
    public static async Task<Ok<Dictionary<string, Dictionary<string, JsonElement>>>> Summary(
        string id, TenantService tenants, SummaryReader summaries, CancellationToken cancellationToken, bool lineage = false)
    {
        await tenants.GetAsync(id, cancellationToken);   // 404 for an unknown tenant
        var figures = await summaries.ReadAsync(id, cancellationToken);
        if (!lineage)
        {
            return TypedResults.Ok(figures);
        }
        var sources = await summaries.LineageAsync(id, cancellationToken);
        return TypedResults.Ok(figures.ToDictionary(
            service => service.Key,
            service => service.Value.ToDictionary(
                figure => figure.Key,
                figure => JsonSerializer.SerializeToElement(new FigureWithLineage(figure.Value, sources[service.Key].GetValueOrDefault(figure.Key)), JsonSerializerOptions.Web))));
    }

    public static async Task<Ok<TenantDto>> RetryProvisioning(string id, RetryProvisioningRequest? request, TenantService tenants, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tenants.RetryProvisioningAsync(id, request ?? new RetryProvisioningRequest(), cancellationToken));

    public static async Task<Ok<IssuedApiKey>> IssueKey(string id, TenantService tenants, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tenants.IssueKeyAsync(id, cancellationToken));

    public static async Task<Ok<ReconciliationReport>> Reconcile(string id, Reconciler reconciler, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reconciler.RunAsync(id, cancellationToken));
}
