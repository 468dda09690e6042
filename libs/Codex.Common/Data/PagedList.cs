namespace Codex;

/// <summary>One page of a bounded list: the items, where the page is, and how many there are in all.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>The one rule for page-and-size lists: pages start at 1, sizes are bounded.</summary>
public static class Paging
{
    /// <summary>The highest page asked for; beyond it the offset would overflow long before any list is that long.</summary>
    public const int MaxPage = 100_000;

    /// <summary>Throws a 400 naming <c>page</c> or <c>pageSize</c> when either is out of range.</summary>
    public static void Validate(int page, int pageSize, int maxPageSize)
    {
        if (page is < 1 or > MaxPage)
        {
            throw new ValidationException("page", $"page is 1 to {MaxPage}.");
        }
        if (pageSize < 1 || pageSize > maxPageSize)
        {
            throw new ValidationException("pageSize", $"pageSize must be 1 to {maxPageSize}.");
        }
    }

    /// <summary>Throws a 400 naming <c>limit</c> when a keyset page's size is out of range.</summary>
    public static void ValidateLimit(int limit, int maxLimit)
    {
        if (limit < 1 || limit > maxLimit)
        {
            throw new ValidationException("limit", $"limit must be 1 to {maxLimit}.");
        }
    }
}
