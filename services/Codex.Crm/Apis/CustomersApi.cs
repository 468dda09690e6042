using Codex.Crm.Contracts;
using Codex.Crm.Services;
using Codex.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Codex.Crm.Apis;

public static class CustomersApi
{
    public static RouteGroupBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/crm/customers").WithTags("Customers");
        api.MapGet("/", ListCustomers).RequirePermission("crm.customers.read").WithName("ListCustomers")
            .WithSummary("Customers newest first, keyset-paged; search by name, email, company or tag; filter by status, source, tag; deleted=true lists the trash.");
        api.MapPost("/", CreateCustomer).RequirePermission("crm.customers.write").WithName("CreateCustomer");
        api.MapGet("/{id:guid}", GetCustomer).RequirePermission("crm.customers.read").WithName("GetCustomer");
        api.MapPut("/{id:guid}", UpdateCustomer).RequirePermission("crm.customers.write").WithName("UpdateCustomer").WithSummary("Replace every field.");
        api.MapDelete("/{id:guid}", DeleteCustomer).RequirePermission("crm.customers.write").WithName("DeleteCustomer").WithSummary("Move to the trash (restorable).");
        api.MapPost("/{id:guid}/restore", RestoreCustomer).RequirePermission("crm.customers.write").WithName("RestoreCustomer");
        api.MapGet("/{id:guid}/timeline", CustomerTimeline).RequirePermission("crm.interactions.read").WithName("CustomerTimeline")
            .WithSummary("Interactions with the customer and its leads, newest first.");
        api.MapPost("/import", ImportCustomers).RequirePermission("crm.customers.write").WithName("ImportCustomers")
            .Accepts<string>("text/csv")
            .WithMetadata(new RequestSizeLimitAttribute(CustomerCsv.MaxFileBytes))
            .WithSummary("Import a CSV (the export's format): every valid row is imported, every invalid row reported.");
        api.MapGet("/export", ExportCustomers).RequirePermission("crm.customers.read").WithName("ExportCustomers")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").WithSummary("The customers the same filters select, as CSV.");
        return api;
    }

    public static async Task<Ok<KeysetPage<CustomerDto>>> ListCustomers([AsParameters] CustomerListParameters query, CustomerService customers, CancellationToken cancellationToken) =>
        TypedResults.Ok(await customers.ListAsync(query.ToQuery(), cancellationToken));

    public static async Task<Created<CustomerDto>> CreateCustomer(CustomerRequest request, CustomerService customers, CancellationToken cancellationToken)
    {
        var customer = await customers.CreateAsync(request, cancellationToken);
        return TypedResults.Created($"/api/v1/crm/customers/{customer.Id}", customer);
    }

    public static async Task<Ok<CustomerDto>> GetCustomer(Guid id, CustomerService customers, CancellationToken cancellationToken) =>
        TypedResults.Ok(await customers.GetAsync(id, cancellationToken));

    public static async Task<Ok<CustomerDto>> UpdateCustomer(Guid id, CustomerRequest request, CustomerService customers, CancellationToken cancellationToken) =>
        TypedResults.Ok(await customers.UpdateAsync(id, request, cancellationToken));

    public static async Task<NoContent> DeleteCustomer(Guid id, CustomerService customers, CancellationToken cancellationToken)
    {
        await customers.DeleteAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<CustomerDto>> RestoreCustomer(Guid id, CustomerService customers, CancellationToken cancellationToken) =>
        TypedResults.Ok(await customers.RestoreAsync(id, cancellationToken));

    public static async Task<Ok<KeysetPage<InteractionDto>>> CustomerTimeline(
        Guid id, InteractionService interactions, CancellationToken cancellationToken, string? cursor = null, int limit = 20) =>
        TypedResults.Ok(await interactions.CustomerTimelineAsync(id, cursor, limit, cancellationToken));

    public static async Task<Ok<ImportReport>> ImportCustomers(HttpRequest request, CustomerCsv csv, CancellationToken cancellationToken)
    {
        if (request.ContentType is not { } type || !type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnsupportedMediaTypeException("An import is a CSV body with Content-Type text/csv.");
        }
        return TypedResults.Ok(await csv.ImportAsync(request.Body, cancellationToken));
    }

    public static async Task ExportCustomers([AsParameters] CustomerListParameters query, CustomerCsv csv, HttpResponse response, CancellationToken cancellationToken)
    {
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = "attachment; filename=\"customers.csv\"";
        await csv.ExportAsync(query.ToQuery(), response.Body, cancellationToken);
    }
}

public sealed record CustomerListParameters(string? Search, string? Status, string? Source, string? Tag, bool? Deleted, string? Cursor, int? Limit)
{
    public CustomerQuery ToQuery() => new(Search, Status, Source, Tag, Deleted ?? false, Cursor, Limit ?? 20);
}
