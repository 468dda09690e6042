using Codex.Billing.Contracts;
using Codex.Billing.Infrastructure;
using Codex.Billing.Services;
using Codex.Security.Authorization;
using Codex.Security.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Codex.Billing.Apis;

public static class InvoicesApi
{
    public static IEndpointRouteBuilder MapInvoicesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/billing/invoices").WithTags("Invoices");
        api.MapGet("/", ListInvoices).RequirePermission(BillingPermissions.InvoicesRead).WithName("ListInvoices")
            .WithSummary("Newest first, keyset-paged; filter by customerId, subscriptionId and status.");
        api.MapGet("/{id:guid}", GetInvoice).RequirePermission(BillingPermissions.InvoicesRead).WithName("GetInvoice");
        api.MapGet("/{id:guid}/pdf", InvoicePdfFile).RequirePermission(BillingPermissions.InvoicesRead).WithName("GetInvoicePdf")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf");
        api.MapGet("/{id:guid}/payments", Payments).RequirePermission(BillingPermissions.InvoicesRead).WithName("InvoicePayments");
        api.MapPost("/{id:guid}/finalize", FinalizeInvoice).RequirePermission(BillingPermissions.InvoicesWrite).WithName("FinalizeInvoice")
            .WithSummary("Issue a draft now, before its draft window closes: it is numbered and collected.");
        api.MapPost("/{id:guid}/void", VoidInvoice).RequirePermission(BillingPermissions.InvoicesWrite).WithName("VoidInvoice")
            .WithSummary("An open invoice is no longer owed; the credit it used is available again.");
        api.MapPost("/{id:guid}/retry-payment", RetryPayment).RequirePermission(BillingPermissions.InvoicesWrite).WithName("RetryInvoicePayment")
            .WithSummary("Collect an open invoice again now; paid, a past-due subscription is active again.");
        api.MapPost("/{id:guid}/mark-uncollectible", MarkUncollectible).RequirePermission(BillingPermissions.InvoicesWrite).WithName("MarkInvoiceUncollectible");

        var settings = app.MapGroup("/api/v1/billing/settings").WithTags("Settings");
        settings.MapGet("/", GetSettings).RequirePermission(BillingPermissions.SettingsRead).WithName("GetBillingSettings");
        settings.MapPut("/", PutSettings).RequirePermission(BillingPermissions.SettingsWrite).WithName("PutBillingSettings")
            .WithSummary("Tax rate, invoice prefix, draft window (hours), dunning's retry waits (days) and the grace before an unpaid subscription is cancelled.");
        return app;
    }

    public static async Task<Ok<KeysetPage<InvoiceDto>>> ListInvoices(InvoiceService invoices, CancellationToken cancellationToken,
        Guid? customerId = null, Guid? subscriptionId = null, string? status = null, string? cursor = null, int limit = 20) =>
        TypedResults.Ok(await invoices.ListAsync(customerId, subscriptionId, status, cursor, limit, cancellationToken));

    public static async Task<Ok<InvoiceDto>> GetInvoice(Guid id, InvoiceService invoices, CancellationToken cancellationToken) =>
        TypedResults.Ok(await invoices.GetAsync(id, cancellationToken));

    public static async Task<FileContentHttpResult> InvoicePdfFile(
        Guid id, InvoiceService invoices, InvoicePdf pdf, BillingDbContext db, TenantContext tenant, CancellationToken cancellationToken)
    {
        var invoice = await invoices.FindAsync(id, cancellationToken);
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == invoice.CustomerId, cancellationToken);
        var name = invoice.DisplayNumber ?? $"draft-{invoice.Id:N}";
        return TypedResults.File(pdf.Render(invoice, customer, tenant.RequiredTenantId), "application/pdf", $"{name}.pdf");
    }

    public static async Task<Ok<IReadOnlyList<PaymentDto>>> Payments(Guid id, InvoiceService invoices, CancellationToken cancellationToken) =>
        TypedResults.Ok(await invoices.PaymentsAsync(id, cancellationToken));

    public static async Task<Ok<InvoiceDto>> FinalizeInvoice(Guid id, InvoiceService invoices, CancellationToken cancellationToken) =>
        TypedResults.Ok(await invoices.FinalizeNowAsync(id, cancellationToken));

    public static async Task<Ok<InvoiceDto>> VoidInvoice(Guid id, InvoiceService invoices, CancellationToken cancellationToken) =>
        TypedResults.Ok(await invoices.VoidAsync(id, cancellationToken));

    public static async Task<Ok<InvoiceDto>> RetryPayment(Guid id, InvoiceService invoices, CancellationToken cancellationToken) =>
        TypedResults.Ok(await invoices.RetryPaymentAsync(id, cancellationToken));

    public static async Task<Ok<InvoiceDto>> MarkUncollectible(Guid id, InvoiceService invoices, CancellationToken cancellationToken) =>
        TypedResults.Ok(await invoices.MarkUncollectibleAsync(id, cancellationToken));

    public static async Task<Ok<BillingSettingsDto>> GetSettings(SettingsService settings, CancellationToken cancellationToken) =>
        TypedResults.Ok(await settings.GetAsync(cancellationToken));

    public static async Task<Ok<BillingSettingsDto>> PutSettings(BillingSettingsDto request, SettingsService settings, CancellationToken cancellationToken) =>
        TypedResults.Ok(await settings.PutAsync(request, cancellationToken));
}
