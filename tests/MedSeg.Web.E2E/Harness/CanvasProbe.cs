using System.Text.Json;
using Microsoft.Playwright;

namespace MedSeg.Web.E2E.Harness;

/// <summary>
/// Reads back the slice viewer's WebGL canvases (copied onto a 2D canvas) to count what the user sees:
/// lit (non-black) pixels, label-coloured pixels (the images are grey, so strong chroma means overlay),
/// and pixels changed since a named snapshot.
/// </summary>
public static class CanvasProbe
{
    public static readonly string[] Planes = ["axial", "coronal", "sagittal"];

    // Installs window.__probe once per page.
    private const string InstallJs = @"() => {
        if (window.__probe) return;
        const snapshots = new Map();
        const pixels = (plane) => {
            const canvas = document.querySelector(`[data-testid=slice-viewer-viewports] [data-viewport=${plane}] canvas`);
            if (!canvas || canvas.width === 0) return null;
            const copy = document.createElement('canvas');
            copy.width = canvas.width; copy.height = canvas.height;
            const ctx = copy.getContext('2d');
            ctx.drawImage(canvas, 0, 0);
            return ctx.getImageData(0, 0, copy.width, copy.height).data;
        };
        window.__probe = {
            stats(plane) {
                const d = pixels(plane);
                if (!d) return { lit: 0, coloured: 0, total: 0 };
                let lit = 0, coloured = 0;
                for (let i = 0; i < d.length; i += 4) {
                    const max = Math.max(d[i], d[i + 1], d[i + 2]), min = Math.min(d[i], d[i + 1], d[i + 2]);
                    if (max > 16) lit++;
                    if (max - min > 60) coloured++;
                }
                return { lit, coloured, total: d.length / 4 };
            },
            snap(name, plane) { snapshots.set(name, pixels(plane)); },
            changedSince(name, plane) {
                const a = snapshots.get(name), b = pixels(plane);
                if (!a || !b || a.length !== b.length) return -1;
                let changed = 0;
                for (let i = 0; i < a.length; i += 4)
                    if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > 12) changed++;
                return changed;
            },
        };
    }";

    public sealed record PlaneStats(int Lit, int Coloured, int Total);

    public static async Task<PlaneStats> StatsAsync(IPage page, string plane)
    {
        await page.EvaluateAsync(InstallJs);
        var s = await page.EvaluateAsync<JsonElement>("p => window.__probe.stats(p)", plane);
        return new(s.GetProperty("lit").GetInt32(), s.GetProperty("coloured").GetInt32(), s.GetProperty("total").GetInt32());
    }

    public static async Task SnapAsync(IPage page, string name, string plane)
    {
        await page.EvaluateAsync(InstallJs);
        await page.EvaluateAsync("([n, p]) => window.__probe.snap(n, p)", new[] { name, plane });
    }

    public static async Task<int> ChangedSinceAsync(IPage page, string name, string plane) =>
        await page.EvaluateAsync<int>("([n, p]) => window.__probe.changedSince(n, p)", new[] { name, plane });

    /// <summary>Polls until the condition holds on the plane's stats (the viewer renders asynchronously after a Blazor round trip).</summary>
    public static async Task<PlaneStats> WaitForAsync(IPage page, string plane, Func<PlaneStats, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        PlaneStats stats;
        do
        {
            stats = await StatsAsync(page, plane);
            if (condition(stats)) return stats;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        return stats; // callers assert on it, with the numbers in the message
    }

    /// <summary>Polls until the label-coloured pixels summed over the three planes satisfy the condition; returns the last sum.</summary>
    public static async Task<int> WaitForColouredAsync(IPage page, Func<int, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        int total;
        do
        {
            total = 0;
            foreach (var plane in Planes) total += (await StatsAsync(page, plane)).Coloured;
            if (condition(total)) return total;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        return total;
    }

    /// <summary>Polls until at least minChanged pixels differ from the snapshot; returns the last count.</summary>
    public static async Task<int> WaitForChangeAsync(IPage page, string name, string plane, int minChanged, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        int changed;
        do
        {
            changed = await ChangedSinceAsync(page, name, plane);
            if (changed >= minChanged) return changed;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        return changed;
    }

    /// <summary>Sets the viewer's label opacity slider as a user dragging it would (input event).</summary>
    public static Task SetOpacityAsync(IPage page, double value) =>
        page.GetByTestId("slice-viewer-opacity").EvaluateAsync(
            "(e, v) => { e.value = String(v); e.dispatchEvent(new Event('input', { bubbles: true })); }", value);
}
