using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedSeg.Web.Features.Lists;

/// <summary>
/// A list page's first page, as the prerender hands it to the interactive render (MudDataGrid and MudTable load
/// ServerData only once the circuit is up, so without it a prerendered list page shows no rows for 0.5–1.3 s). The
/// state travels back to the server in the circuit's start message, which SignalR caps at 32 KB: rows carry only what
/// the grid shows, and defaults (nulls, zeros) are left out.
/// </summary>
public static class FirstPageState
{
    /// <summary>The most a packed page may take; a larger one is not handed over (the grid then loads as before).</summary>
    public const int MaxChars = 12 * 1024;

    private static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    };

    /// <summary>
    /// The page to show until the real grid has its own, and its packed form for the page's [PersistentState] property:
    /// the prerender reads it (<paramref name="read"/>, rows already cut to what the grid shows) and packs it; the
    /// interactive render unpacks what the prerender handed over and reads nothing.
    /// </summary>
    public static async Task<(ListPage<T>? Page, string? Packed)> ReadOrTakeAsync<T>(bool interactive, string? handed, Func<Task<ListPage<T>>> read)
    {
        if (interactive) return (Unpack<T>(handed), handed);
        var page = await read();
        return (page, Pack(page));
    }

    /// <summary>
    /// Hides the handed page on the dispatcher's next turn, i.e. after the real grid has rendered the rows it loaded
    /// (hiding it at once would show that grid still empty for a frame). Call from the grid's load, on the dispatcher.
    /// </summary>
    public static async Task HideAfterGridRenderAsync(Action hide)
    {
        await Task.Yield();
        hide();
    }

    /// <summary>A row's owner as the lists show it: the e-mail, without the account's id and stamps.</summary>
    public static MedSeg.Data.Entities.ApplicationUser Owner(MedSeg.Data.Entities.ApplicationUser? owner) =>
        new() { Id = null!, SecurityStamp = null, ConcurrencyStamp = null, Email = owner?.Email };

    /// <summary>The page as compact JSON, or null when it would exceed <see cref="MaxChars"/>.</summary>
    public static string? Pack<T>(ListPage<T> page)
    {
        var json = JsonSerializer.Serialize(page, Compact);
        return json.Length <= MaxChars ? json : null;
    }

    /// <summary>The page <see cref="Pack"/> wrote, or null for none or for text it did not write.</summary>
    public static ListPage<T>? Unpack<T>(string? json)
    {
        if (string.IsNullOrEmpty(json) || json.Length > MaxChars) return null;
        try { return JsonSerializer.Deserialize<ListPage<T>>(json, Compact); }
        catch (JsonException) { return null; }
    }
}
