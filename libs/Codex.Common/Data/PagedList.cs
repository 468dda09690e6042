namespace Codex;

/// <summary>One page of a bounded list: the items, where the page is, and how many there are in all.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>The one rule for page-and-size lists: pages start at 1, sizes are bounded.</summary>
public static class Paging
{
    /// <summary>Throws a 400 naming <c>page</c> or <c>pageSize</c> when either is out of range.</summary>
    public static void Validate(int page, int pageSize, int maxPageSize)
    {
        if (page < 1)
        {
            throw new ValidationException("page", "page starts at 1.");
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
