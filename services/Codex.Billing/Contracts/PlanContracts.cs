using System.ComponentModel.DataAnnotations;
using Codex.Billing.Pricing;

namespace Codex.Billing.Contracts;

public sealed record MetricRequest(
    [property: Required, StringLength(64)] string Code,
    [property: Required, StringLength(200, MinimumLength = 1)] string Name,
    [property: Required] string Aggregation,
    [property: StringLength(64)] string? Field = null);

public sealed record MetricDto(Guid Id, string Code, string Name, string Aggregation, string? Field, DateTimeOffset CreatedAt);

/// <summary>Create (with a code) and a new version (PUT /plans/{code}, the code from the path) take the same terms.</summary>
public sealed record PlanRequest(
    [property: StringLength(64)] string? Code,
    [property: Required, StringLength(200, MinimumLength = 1)] string Name,
    decimal Amount,
    [property: Required] string Currency,
    [property: Required] string Interval,
    [property: StringLength(2000)] string? Description = null,
    int IntervalCount = 1,
    int TrialDays = 0,
    [property: MaxLength(50)] IReadOnlyList<UsageCharge>? Charges = null,
    EntitlementsDto? Entitlements = null);

public sealed record EntitlementsDto(IReadOnlyDictionary<string, long>? Limits = null, IReadOnlyDictionary<string, bool>? Features = null);

public sealed record PlanDto(
    Guid Id, string Code, int Version, string Name, string? Description, decimal Amount, string Currency, string Interval, int IntervalCount,
    int TrialDays, IReadOnlyList<UsageCharge> Charges, EntitlementsDto Entitlements, DateTimeOffset CreatedAt, DateTimeOffset VersionCreatedAt);
