using Codex.Crm.Contracts;
using Codex.Crm.Infrastructure;
using Codex.Crm.Model;
using Codex.Security.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Codex.Crm.Services;

/// <summary>
/// Pipelines with ordered stages. Each has open stages and exactly one won and one lost stage; a
/// stage that still holds leads cannot be removed, and the default pipeline always exists.
/// </summary>
public sealed class PipelineService(CrmDbContext db, TenantContext tenant, TimeProvider clock)
{
    public const string DefaultName = "Sales";

    /// <summary>The stages every tenant starts with.</summary>
    public static readonly IReadOnlyList<StageRequest> DefaultStages =
    [
        new("New", "new", 10), new("Qualified", "qualified", 25), new("Proposal", "proposal", 50),
        new("Negotiation", "negotiation", 75), new("Won", "won", 100, LeadStatuses.Won), new("Lost", "lost", 0, LeadStatuses.Lost),
    ];

    public async Task<IReadOnlyList<PipelineDto>> ListAsync(CancellationToken cancellationToken)
    {
        var pipelines = await db.Pipelines.AsNoTracking().OrderBy(p => p.Name).ToListAsync(cancellationToken);
        if (!pipelines.Any(p => p.IsDefault))
        {
            await EnsureDefaultAsync(cancellationToken);   // a tenant that predates CRM: seeded once, on first use
            pipelines = await db.Pipelines.AsNoTracking().OrderBy(p => p.Name).ToListAsync(cancellationToken);
        }
        return pipelines.Select(ToDto).ToList();
    }

    public async Task<PipelineDto> GetAsync(Guid id, CancellationToken cancellationToken) => ToDto(await FindAsync(id, cancellationToken));

    /// <summary>One transaction: a duplicate name (409) after the old default was cleared leaves the old default in place.</summary>
    public Task<PipelineDto> CreateAsync(PipelineRequest request, CancellationToken cancellationToken) => db.InTransactionAsync(async ct =>
    {
        var now = clock.GetUtcNow();
        var pipeline = new Pipeline { Id = Guid.CreateVersion7(), TenantId = tenant.RequiredTenantId, Name = request.Name.Trim(), CreatedAt = now, UpdatedAt = now };
        pipeline.Stages = Stages(pipeline.Id, request.Stages);
        await EnsureDefaultAsync(ct);
        if (request.IsDefault)
        {
            await ClearDefaultAsync(pipeline.Name, ct);
            pipeline.IsDefault = true;
        }
        db.Pipelines.Add(pipeline);
        await SaveAsync(pipeline.Name, ct);
        return ToDto(pipeline);
    }, cancellationToken);

    /// <summary>
    /// Replaces name and stages; stages are matched by key, so a renamed or moved stage keeps its leads.
    /// One transaction, like <see cref="CreateAsync"/>.
    /// </summary>
    public Task<PipelineDto> UpdateAsync(Guid id, PipelineRequest request, CancellationToken cancellationToken) =>
        db.InTransactionAsync(ct => ReplaceAsync(id, request, ct), cancellationToken);

    private async Task<PipelineDto> ReplaceAsync(Guid id, PipelineRequest request, CancellationToken cancellationToken)
    {
        var pipeline = await FindAsync(id, cancellationToken);
        var stages = Stages(pipeline.Id, request.Stages);
        var removed = pipeline.Stages.Select(s => s.Key).Except(stages.Select(s => s.Key)).ToList();
        if (removed.Count > 0)
        {
            var occupied = await db.Leads.Where(l => l.PipelineId == id && removed.Contains(l.Stage)).Select(l => l.Stage).Distinct().ToListAsync(cancellationToken);
            if (occupied.Count > 0)
            {
                throw new ConflictException($"Stage(s) {string.Join(", ", occupied)} still hold leads; move them before removing the stage.", "stage_in_use");
            }
        }
        var kindChanged = await KindChangedWithLeadsAsync(pipeline, stages, cancellationToken);
        if (kindChanged is not null)
        {
            throw new ConflictException($"Stage '{kindChanged}' holds leads, so its kind cannot change.", "stage_in_use");
        }
        foreach (var stage in stages)
        {
            if (pipeline.StageNamed(stage.Key) is { } kept)
            {
                (kept.Name, kept.Position, kept.Probability, kept.Kind) = (stage.Name, stage.Position, stage.Probability, stage.Kind);
            }
            else
            {
                pipeline.Stages.Add(stage);
            }
        }
        pipeline.Stages.RemoveAll(s => removed.Contains(s.Key));
        pipeline.Name = request.Name.Trim();
        if (request.IsDefault && !pipeline.IsDefault)
        {
            await ClearDefaultAsync(pipeline.Name, cancellationToken);
            pipeline.IsDefault = true;
        }
        pipeline.UpdatedAt = clock.GetUtcNow();
        await SaveAsync(pipeline.Name, cancellationToken);
        return ToDto(pipeline);
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var pipeline = await FindAsync(id, cancellationToken);
        if (pipeline.IsDefault)
        {
            throw new ConflictException("The default pipeline cannot be deleted; make another one the default first.", "default_pipeline");
        }
        if (await db.Leads.IgnoreQueryFilters([CrmDbContext.LiveFilter]).AnyAsync(l => l.PipelineId == id, cancellationToken))
        {
            throw new ConflictException("The pipeline has leads (including deleted ones kept for history); it cannot be deleted.", "pipeline_in_use");
        }
        db.Pipelines.Remove(pipeline);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<Pipeline> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Pipelines.FirstOrDefaultAsync(p => p.Id == id, cancellationToken)
        ?? throw new NotFoundException($"Pipeline '{id}' was not found.", "pipeline_not_found");

    /// <summary>The tenant's default pipeline, seeded first if the tenant has none (a tenant that predates CRM).</summary>
    public async Task<Pipeline> DefaultAsync(CancellationToken cancellationToken)
    {
        if (await db.Pipelines.FirstOrDefaultAsync(p => p.IsDefault, cancellationToken) is { } pipeline)
        {
            return pipeline;
        }
        await EnsureDefaultAsync(cancellationToken);
        return await db.Pipelines.FirstAsync(p => p.IsDefault, cancellationToken);
    }

    /// <summary>Seeds the default pipeline when the tenant has none; idempotent, and safe against a concurrent seed.</summary>
    public async Task EnsureDefaultAsync(CancellationToken cancellationToken)
    {
        if (await db.Pipelines.AnyAsync(p => p.IsDefault, cancellationToken))
        {
            return;
        }
        var now = clock.GetUtcNow();
        var pipeline = new Pipeline { Id = Guid.CreateVersion7(), TenantId = tenant.RequiredTenantId, Name = DefaultName, IsDefault = true, CreatedAt = now, UpdatedAt = now };
        pipeline.Stages = Stages(pipeline.Id, DefaultStages);
        db.Pipelines.Add(pipeline);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            db.Entry(pipeline).State = EntityState.Detached;   // another request seeded it first
            foreach (var stage in pipeline.Stages)
            {
                db.Entry(stage).State = EntityState.Detached;
            }
        }
    }

    private async Task ClearDefaultAsync(string name, CancellationToken cancellationToken)
    {
        foreach (var current in await db.Pipelines.Where(p => p.IsDefault).ToListAsync(cancellationToken))
        {
            current.IsDefault = false;
        }
        // Saved first: the one-default index is checked per statement, and the new default comes after. The
        // save carries whatever else is pending (a rename), so a taken name is the same 409 here.
        await SaveAsync(name, cancellationToken);
    }

    private async Task<string?> KindChangedWithLeadsAsync(Pipeline pipeline, List<PipelineStage> stages, CancellationToken cancellationToken)
    {
        var changed = pipeline.Stages.Where(old => stages.FirstOrDefault(s => s.Key == old.Key) is { } now && now.Kind != old.Kind).Select(s => s.Key).ToList();
        return changed.Count == 0 ? null
            : await db.Leads.Where(l => l.PipelineId == pipeline.Id && changed.Contains(l.Stage)).Select(l => l.Stage).FirstOrDefaultAsync(cancellationToken);
    }

    private async Task SaveAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new ConflictException($"A pipeline named '{name}' already exists.", "duplicate_pipeline");
        }
    }

    /// <summary>Checks the stage list as a whole (every error at once) and builds it in the given order.</summary>
    private static List<PipelineStage> Stages(Guid pipelineId, IReadOnlyList<StageRequest> requested)
    {
        var errors = new FieldErrors();
        var stages = requested.Select((s, i) => new PipelineStage
        {
            PipelineId = pipelineId, Key = string.IsNullOrWhiteSpace(s.Key) ? Slugs.From(s.Name ?? "") : s.Key.Trim(),
            Name = s.Name?.Trim() ?? "", Position = i, Probability = s.Probability, Kind = s.Kind?.Trim().ToLowerInvariant() ?? "",
        }).ToList();
        for (var i = 0; i < stages.Count; i++)
        {
            var stage = stages[i];
            errors.AddIf(stage.Name.Length is 0 or > 100, $"stages[{i}].name", "A stage needs a name of up to 100 characters.");
            errors.AddIf(!Slugs.IsValid(stage.Key), $"stages[{i}].key", "A stage key is letters, digits, '-' and '_', up to 50 characters.");
            errors.AddIf(stage.Probability is < 0 or > 100, $"stages[{i}].probability", "probability is 0 to 100.");
            errors.AddIf(stage.Kind is not (LeadStatuses.Open or LeadStatuses.Won or LeadStatuses.Lost), $"stages[{i}].kind", "kind is open, won or lost.");
        }
        foreach (var duplicate in stages.GroupBy(s => s.Key).Where(g => g.Count() > 1))
        {
            errors.Add("stages", $"Stage key '{duplicate.Key}' appears more than once.");
        }
        errors.AddIf(stages.Count(s => s.Kind == LeadStatuses.Open) < 1, "stages", "A pipeline needs at least one open stage.");
        errors.AddIf(stages.Count(s => s.Kind == LeadStatuses.Won) != 1, "stages", "A pipeline has exactly one won stage.");
        errors.AddIf(stages.Count(s => s.Kind == LeadStatuses.Lost) != 1, "stages", "A pipeline has exactly one lost stage.");
        errors.ThrowIfAny();
        return stages;
    }

    public static PipelineDto ToDto(Pipeline p) => new(
        p.Id, p.Name, p.IsDefault, p.OrderedStages().Select(s => new StageDto(s.Key, s.Name, s.Position, s.Probability, s.Kind)).ToList(), p.CreatedAt, p.UpdatedAt);
}
