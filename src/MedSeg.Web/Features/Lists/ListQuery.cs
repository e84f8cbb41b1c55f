namespace MedSeg.Web.Features.Lists;

/// <summary>
/// One page of a list (runs, datasets, leaderboards), as the pages and <c>GET /api/…?page=&amp;size=&amp;sort=&amp;desc=&amp;q=&amp;status=</c>
/// ask for it: 1-based page, page size (at most <see cref="Options.LimitsOptions.MaxPageSize"/>), a sort key of the list,
/// direction, text to search and a status to keep.
/// </summary>
public sealed record ListQuery(int Page = 1, int Size = 50, string? Sort = null, bool Desc = true, string? Search = null, string? Status = null)
{
    public int Skip => (Math.Max(1, Page) - 1) * Size;

    /// <summary>Problems naming the field, the value and the limit (empty = usable).</summary>
    public IReadOnlyList<string> Problems(int maxSize, IReadOnlyCollection<string> sortKeys)
    {
        var problems = new List<string>();
        if (Page is < 1 or > 1_000_000) problems.Add($"Page: 1..1000000, got {Page}.");
        if (Size < 1 || Size > maxSize) problems.Add($"Size: 1..{maxSize} (Limits:MaxPageSize), got {Size}.");
        if (Sort is not null && !sortKeys.Contains(Sort)) problems.Add($"Sort: one of {string.Join(", ", sortKeys)}, got '{Sort}'.");
        if (Search is { Length: > 200 }) problems.Add($"Q: at most 200 characters, got {Search.Length}.");
        return problems;
    }
}

/// <summary>A page of a list and how many rows the whole (filtered) list has.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, int Total, int Page, int Size);
