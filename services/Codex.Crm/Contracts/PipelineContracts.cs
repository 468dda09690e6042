using System.ComponentModel.DataAnnotations;

namespace Codex.Crm.Contracts;

/// <summary>Create and update take the same body; stages are given in order. A stage's key is derived from its name when omitted.</summary>
public sealed record PipelineRequest(
    [property: Required, StringLength(100, MinimumLength = 1)] string Name,
    [property: Required, MinLength(3), MaxLength(30)] IReadOnlyList<StageRequest> Stages,
    bool IsDefault = false);

public sealed record StageRequest(
    [property: Required, StringLength(100, MinimumLength = 1)] string Name,
    [property: StringLength(50)] string? Key = null,
    [property: Range(0, 100)] int Probability = 0,
    string Kind = "open");

public sealed record PipelineDto(Guid Id, string Name, bool IsDefault, IReadOnlyList<StageDto> Stages, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record StageDto(string Key, string Name, int Position, int Probability, string Kind);

/// <summary>Per stage, in pipeline order: leads in it now with their value per currency, how many moved on to the next stage, and the average stay.</summary>
public sealed record PipelineStats(Guid PipelineId, int Leads, IReadOnlyList<StageStats> Stages);

public sealed record StageStats(
    string Key, string Name, string Kind, int Count, IReadOnlyDictionary<string, decimal> Value,
    int Entered, double? ConversionToNext, double? AverageDaysInStage);
