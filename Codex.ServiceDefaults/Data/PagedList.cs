namespace Codex;

/// <summary>One page of a bounded list: the items, where the page is, and how many there are in all.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);
