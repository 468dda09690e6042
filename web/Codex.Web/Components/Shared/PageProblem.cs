using Codex.Web.Api;

namespace Codex.Web.Components.Shared;

/// <summary>What a page shows when a call failed: one sentence and the field messages.</summary>
public sealed record PageProblem(string Message, IReadOnlyList<string> Details)
{
    public static PageProblem From(ApiProblemException problem) => new(problem.Message, [.. problem.FieldMessages, .. problem.Affected]);
}
