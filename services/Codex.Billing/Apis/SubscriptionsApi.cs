using Codex.Billing.Contracts;
using Codex.Billing.Services;
using Codex.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Billing.Apis;

public static class SubscriptionsApi
{
    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/billing/subscriptions").WithTags("Subscriptions");
        api.MapGet("/", ListSubscriptions).RequirePermission(BillingPermissions.SubscriptionsRead).WithName("ListSubscriptions")
            .WithSummary("Newest first, keyset-paged; filter by customerId and status.");
        api.MapPost("/", CreateSubscription).RequirePermission(BillingPermissions.SubscriptionsWrite).WithName("CreateSubscription")
            .WithSummary("Subscribes a CRM customer to a plan's current version; a plan with trial days starts in trial.");
        api.MapGet("/{id:guid}", GetSubscription).RequirePermission(BillingPermissions.SubscriptionsRead).WithName("GetSubscription");
        api.MapPost("/{id:guid}/plan", ChangePlan).RequirePermission(BillingPermissions.SubscriptionsWrite).WithName("ChangeSubscriptionPlan")
            .WithSummary("Upgrade or downgrade now, prorated to the day: the unused part of the paid period comes back as a credit note.");
        api.MapPost("/{id:guid}/cancel", Cancel).RequirePermission(BillingPermissions.SubscriptionsWrite).WithName("CancelSubscription")
            .WithSummary("At period end (the default) or at once (atPeriodEnd: false, with a credit note for the unused days).");
        api.MapPut("/{id:guid}/discount", SetDiscount).RequirePermission(BillingPermissions.SubscriptionsWrite).WithName("SetSubscriptionDiscount")
            .WithSummary("A percentage off the subscription's invoices from now on (0 removes it).");
        api.MapGet("/{id:guid}/changes", Changes).RequirePermission(BillingPermissions.SubscriptionsRead).WithName("SubscriptionChanges");
        api.MapGet("/{id:guid}/usage", Usage).RequirePermission(BillingPermissions.UsageRead).WithName("SubscriptionUsage")
            .WithSummary("Usage per metric of the plan in the current period (or the period holding ?at=), priced.");

        app.MapGet("/api/v1/billing/credit-notes", CreditNotes).RequirePermission(BillingPermissions.SubscriptionsRead).WithTags("Credit notes").WithName("ListCreditNotes");
        app.MapPost("/api/v1/billing/usage", IngestUsage).RequirePermission(BillingPermissions.UsageWrite).WithTags("Usage").WithName("IngestUsage")
            .WithSummary($"Up to {UsageService.MaxBatch} usage events, all or none; a transaction id already seen counts once.");
        return app;
    }

    public static async Task<Ok<KeysetPage<SubscriptionDto>>> ListSubscriptions(
        SubscriptionService subscriptions, CancellationToken cancellationToken, Guid? customerId = null, string? status = null, string? cursor = null, int limit = 20) =>
        TypedResults.Ok(await subscriptions.ListAsync(customerId, status, cursor, limit, cancellationToken));

    public static async Task<Created<SubscriptionDto>> CreateSubscription(SubscriptionRequest request, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        var subscription = await subscriptions.CreateAsync(request, cancellationToken);
        return TypedResults.Created($"/api/v1/billing/subscriptions/{subscription.Id}", subscription);
    }

    public static async Task<Ok<SubscriptionDto>> GetSubscription(Guid id, SubscriptionService subscriptions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await subscriptions.GetAsync(id, cancellationToken));

    public static async Task<Ok<SubscriptionChangeDto>> ChangePlan(Guid id, PlanChangeRequest request, SubscriptionService subscriptions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await subscriptions.ChangePlanAsync(id, request, cancellationToken));

    public static async Task<Ok<SubscriptionDto>> Cancel(Guid id, CancelRequest request, SubscriptionService subscriptions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await subscriptions.CancelAsync(id, request, cancellationToken));

    public static async Task<Ok<SubscriptionDto>> SetDiscount(Guid id, DiscountRequest request, SubscriptionService subscriptions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await subscriptions.SetDiscountAsync(id, request, cancellationToken));

    public static async Task<Ok<IReadOnlyList<SubscriptionChangeDto>>> Changes(Guid id, SubscriptionService subscriptions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await subscriptions.ChangesAsync(id, cancellationToken));

    public static async Task<Ok<UsageReport>> Usage(Guid id, UsageService usage, CancellationToken cancellationToken, DateTimeOffset? at = null) =>
        TypedResults.Ok(await usage.ReportAsync(id, at, cancellationToken));

    public static async Task<Ok<IReadOnlyList<CreditNoteDto>>> CreditNotes(SubscriptionService subscriptions, CancellationToken cancellationToken, Guid? customerId = null) =>
        TypedResults.Ok(await subscriptions.CreditNotesAsync(customerId, cancellationToken));

    public static async Task<Ok<UsageBatchResult>> IngestUsage(UsageBatchRequest request, UsageService usage, CancellationToken cancellationToken) =>
        TypedResults.Ok(await usage.IngestAsync(request, cancellationToken));
}
