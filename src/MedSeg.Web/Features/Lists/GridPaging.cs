using MudBlazor;

namespace MedSeg.Web.Features.Lists;

/// <summary>
/// What a server-paged MudDataGrid asks for, as a <see cref="ListQuery"/>: its 0-based page and size, its sort column
/// (property name) mapped to a list's sort key (unknown or none: id, newest first), and the search box's text.
/// </summary>
public static class GridPaging
{
    public static ListQuery Query<T>(GridState<T> state, IReadOnlyDictionary<string, string> sortKeys, string search)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        return new ListQuery(state.Page + 1, state.PageSize,
            sort is not null && sortKeys.TryGetValue(sort.SortBy, out var key) ? key : "id", sort?.Descending ?? true, search);
    }

    /// <summary>The grid's answer for a loaded page; a failure is reported through <paramref name="fail"/> and shows no rows.</summary>
    public static async Task<GridData<T>> LoadAsync<T>(Func<Task<ListPage<T>>> load, Action<IReadOnlyList<T>> shown, Action<Exception> fail)
    {
        try
        {
            var page = await load();
            shown(page.Items);
            return new GridData<T> { Items = page.Items, TotalItems = page.Total };
        }
        catch (Exception ex)
        {
            fail(ex);
            return new GridData<T> { Items = [], TotalItems = 0 };
        }
    }
}
