using Codex.Crm.Contracts;
using Codex.Crm.Services;
using Codex.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codex.Crm.Apis;

public static class PipelinesApi
{
    public static RouteGroupBuilder MapPipelinesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/crm/pipelines").WithTags("Pipelines");
        api.MapGet("/", ListPipelines).RequirePermission("crm.pipelines.read").WithName("ListPipelines");
        api.MapPost("/", CreatePipeline).RequirePermission("crm.pipelines.write").WithName("CreatePipeline");
        api.MapGet("/{id:guid}", GetPipeline).RequirePermission("crm.pipelines.read").WithName("GetPipeline");
        api.MapPut("/{id:guid}", UpdatePipeline).RequirePermission("crm.pipelines.write").WithName("UpdatePipeline")
            .WithSummary("Replace name and stages; stages are matched by key, and a stage holding leads cannot be removed.");
        api.MapDelete("/{id:guid}", DeletePipeline).RequirePermission("crm.pipelines.write").WithName("DeletePipeline");
        api.MapGet("/{id:guid}/stats", PipelineStats).RequirePermission("crm.pipelines.read").WithName("PipelineStats")
            .WithSummary("Per stage: leads and value now, leads entered, conversion to a later stage, average days in stage.");
        return api;
    }

    public static async Task<Ok<IReadOnlyList<PipelineDto>>> ListPipelines(PipelineService pipelines, CancellationToken cancellationToken) =>
        TypedResults.Ok(await pipelines.ListAsync(cancellationToken));

    public static async Task<Created<PipelineDto>> CreatePipeline(PipelineRequest request, PipelineService pipelines, CancellationToken cancellationToken)
    {
        var pipeline = await pipelines.CreateAsync(request, cancellationToken);
        return TypedResults.Created($"/api/v1/crm/pipelines/{pipeline.Id}", pipeline);
    }

    public static async Task<Ok<PipelineDto>> GetPipeline(Guid id, PipelineService pipelines, CancellationToken cancellationToken) =>
        TypedResults.Ok(await pipelines.GetAsync(id, cancellationToken));

    public static async Task<Ok<PipelineDto>> UpdatePipeline(Guid id, PipelineRequest request, PipelineService pipelines, CancellationToken cancellationToken) =>
        TypedResults.Ok(await pipelines.UpdateAsync(id, request, cancellationToken));

    public static async Task<NoContent> DeletePipeline(Guid id, PipelineService pipelines, CancellationToken cancellationToken)
    {
        await pipelines.DeleteAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<PipelineStats>> PipelineStats(Guid id, PipelineStatsService stats, CancellationToken cancellationToken) =>
        TypedResults.Ok(await stats.ForAsync(id, cancellationToken));
}
