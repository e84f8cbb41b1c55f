using System.Diagnostics;
using Microsoft.Playwright;

namespace MedSeg.Web.Bench;

/// <summary>One page as a user meets it: the URL, what shows its rows, and (for a paged list) what moves to the next page.</summary>
/// <param name="Rows">Selector of the element(s) that mean "the page is there" (first row, a chart with all its points).</param>
/// <param name="FirstRowKey">JavaScript expression giving the first row's identity (to see a page change), or null for no paging.</param>
/// <param name="Next">Selector of the control that shows the next page.</param>
public sealed record TimedPage(string Name, string Url, string Rows, string? FirstRowKey = null, string? Next = null);

/// <summary>
/// Times pages in the system Chromium: first render (navigation start → the first frame that paints the rows, as the page
/// itself sees it, so Playwright's polling is not counted) and page change (click → first row replaced).
/// </summary>
public sealed class PageTimer(IPage page)
{
    /// <summary>
    /// Runs in every document before its own scripts: on each animation frame (frames are what the user sees) it notes,
    /// per watched selector, the time of the first frame in which a match has a size. performance.now() counts from the
    /// navigation's start.
    /// </summary>
    private const string PaintWatch = """
        window.__medsegPainted = {};
        window.__medsegWatch = sel => {
            const look = () => {
                if (window.__medsegPainted[sel] !== undefined) return;
                const e = document.querySelector(sel);
                const r = e && e.getBoundingClientRect();
                if (r && r.width > 0 && r.height > 0) window.__medsegPainted[sel] = performance.now();
                else requestAnimationFrame(look);
            };
            requestAnimationFrame(look);
        };
        """;

    private readonly HashSet<string> watched = [];

    public async Task<double> FirstRenderAsync(TimedPage p)
    {
        await SettleAsync(); // the previous page's circuit start must not share the two cores with this navigation
        if (watched.Add(p.Rows)) await page.AddInitScriptAsync($"{PaintWatch}\nwindow.__medsegWatch({System.Text.Json.JsonSerializer.Serialize(p.Rows)});");
        await page.GotoAsync(p.Url, new() { WaitUntil = WaitUntilState.Commit, Timeout = 120_000 });
        await page.Locator(p.Rows).First.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 120_000 });
        var painted = await page.WaitForFunctionAsync("sel => window.__medsegPainted?.[sel]", p.Rows, new() { Timeout = 10_000 });
        return await painted.JsonValueAsync<double>();
    }

    /// <summary>Waits until the page on screen is interactive and quiet (its circuit up, no requests in flight).</summary>
    private async Task SettleAsync()
    {
        if (page.Url is "about:blank" or "") return;
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined", null, new() { Timeout = 60_000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 60_000 });
        await Task.Delay(500);
    }

    /// <summary>Clicks "next" once the page is interactive (the circuit is up) and waits until the first row is another.</summary>
    public async Task<double> PageChangeAsync(TimedPage p)
    {
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined", null, new() { Timeout = 60_000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 60_000 });
        await Task.Delay(500); // the circuit's first render settles (the grid loads its first page after it starts)
        var before = await page.EvaluateAsync<string>(p.FirstRowKey!);
        var timer = Stopwatch.StartNew();
        await page.Locator(p.Next!).First.ClickAsync(new() { Timeout = 60_000 });
        await page.WaitForFunctionAsync($"before => {{ const k = {p.FirstRowKey}; return k !== null && k !== before; }}", before,
            new() { Timeout = 120_000, PollingInterval = 5 });
        return timer.Elapsed.TotalMilliseconds;
    }
}
