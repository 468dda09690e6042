using Codex.Billing.Contracts;
using Codex.Billing.Services;
using Codex.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Billing.Apis;

public static class PlansApi
{
    public static IEndpointRouteBuilder MapPlansApi(this IEndpointRouteBuilder app)
    {
        var metrics = app.MapGroup("/api/v1/billing/metrics").WithTags("Billable metrics");
        metrics.MapGet("/", ListMetrics).RequirePermission(BillingPermissions.PlansRead).WithName("ListMetrics");
        metrics.MapPost("/", CreateMetric).RequirePermission(BillingPermissions.PlansWrite).WithName("CreateMetric")
            .WithSummary("A billable metric: what usage events count and how (count, sum, max, unique_count, latest, weighted_sum). Fixed once created.");
        metrics.MapGet("/{code}", GetMetric).RequirePermission(BillingPermissions.PlansRead).WithName("GetMetric");

        var plans = app.MapGroup("/api/v1/billing/plans").WithTags("Plans");
        plans.MapGet("/", ListPlans).RequirePermission(BillingPermissions.PlansRead).WithName("ListPlans").WithSummary("Every plan in its current version.");
        plans.MapPost("/", CreatePlan).RequirePermission(BillingPermissions.PlansWrite).WithName("CreatePlan");
        plans.MapGet("/{code}", GetPlan).RequirePermission(BillingPermissions.PlansRead).WithName("GetPlan").WithSummary("The current version, or ?version=n.");
        plans.MapPut("/{code}", RevisePlan).RequirePermission(BillingPermissions.PlansWrite).WithName("RevisePlan")
            .WithSummary("New terms as the next version; subscriptions keep theirs until they change plan, and past invoices never change.");
        plans.MapGet("/{code}/versions", PlanVersions).RequirePermission(BillingPermissions.PlansRead).WithName("PlanVersions");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<MetricDto>>> ListMetrics(PlanService plans, CancellationToken cancellationToken) =>
        TypedResults.Ok(await plans.ListMetricsAsync(cancellationToken));

    public static async Task<Created<MetricDto>> CreateMetric(MetricRequest request, PlanService plans, CancellationToken cancellationToken)
    {
        var metric = await plans.CreateMetricAsync(request, cancellationToken);
        return TypedResults.Created($"/api/v1/billing/metrics/{metric.Code}", metric);
    }

    public static async Task<Ok<MetricDto>> GetMetric(string code, PlanService plans, CancellationToken cancellationToken) =>
        TypedResults.Ok(await plans.GetMetricAsync(code, cancellationToken));

    public static async Task<Ok<IReadOnlyList<PlanDto>>> ListPlans(PlanService plans, CancellationToken cancellationToken) =>
        TypedResults.Ok(await plans.ListAsync(cancellationToken));

    public static async Task<Created<PlanDto>> CreatePlan(PlanRequest request, PlanService plans, CancellationToken cancellationToken)
    {
        var plan = await plans.CreatePlanAsync(request, cancellationToken);
        return TypedResults.Created($"/api/v1/billing/plans/{plan.Code}", plan);
    }

    public static async Task<Ok<PlanDto>> GetPlan(string code, PlanService plans, CancellationToken cancellationToken, int? version = null) =>
        TypedResults.Ok(await plans.GetAsync(code, version, cancellationToken));

    public static async Task<Ok<PlanDto>> RevisePlan(string code, PlanRequest request, PlanService plans, CancellationToken cancellationToken)
    {
        if (request.Code is { } named && named != code)
        {
            throw new ValidationException("code", "A plan's code is fixed: leave it out, or name the code of the path.");
        }
        return TypedResults.Ok(await plans.ReviseAsync(code, request, cancellationToken));
    }

    public static async Task<Ok<IReadOnlyList<PlanDto>>> PlanVersions(string code, PlanService plans, CancellationToken cancellationToken) =>
        TypedResults.Ok(await plans.VersionsAsync(code, cancellationToken));
}
