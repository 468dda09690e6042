namespace Codex.Crm.Model;

public sealed class Pipeline : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public required string Name { get; set; }
    public bool IsDefault { get; set; }
    public List<PipelineStage> Stages { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public PipelineStage? StageNamed(string key) => Stages.FirstOrDefault(s => s.Key == key);

    public IEnumerable<PipelineStage> OrderedStages() => Stages.OrderBy(s => s.Position);
}

/// <summary>A pipeline's stage; leads name it by <see cref="Key"/>. Its kind says whether a lead in it is open, won or lost.</summary>
public sealed class PipelineStage
{
    public Guid PipelineId { get; set; }
    public required string Key { get; set; }
    public required string Name { get; set; }
    public int Position { get; set; }
    public int Probability { get; set; }
    public required string Kind { get; set; }
}
