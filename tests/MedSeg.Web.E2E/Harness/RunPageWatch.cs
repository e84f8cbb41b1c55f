using System.Text.Json;
using Microsoft.Playwright;

namespace MedSeg.Web.E2E.Harness;

/// <summary>
/// Watches a run page from the moment it opens (issue 12: the page died when the first loss points arrived): records,
/// at every DOM change, the displayed step, the loss chart's points and whether it shows a plot, an error box, or
/// Blazor's "An unhandled error has occurred" bar. <see cref="CheckAsync"/> then asserts the chart drew from its
/// first point on and the page never broke.
/// </summary>
public static class RunPageWatch
{
    private const string InstallJs = @"() => {
        const seen = [];
        const read = () => {
            // null, never NaN: Playwright cannot hand NaN back to .NET as JSON.
            const stepText = Number(document.querySelector('[data-testid=run-step]')?.textContent);
            const step = Number.isFinite(stepText) ? stepText : null;
            const chart = document.querySelector('[data-testid=loss-chart]');
            const errorUi = document.getElementById('blazor-error-ui');
            const v = {
                step,
                points: Number(chart?.dataset.rawPoints ?? 0),
                plot: !!chart?.querySelector('.uplot canvas'),
                chartError: document.querySelector('[data-testid=loss-chart-error]')?.textContent ?? null,
                broken: !!errorUi && getComputedStyle(errorUi).display !== 'none',
            };
            const last = seen[seen.length - 1];
            if (!last || JSON.stringify(last) !== JSON.stringify(v)) seen.push(v);
        };
        read();
        new MutationObserver(read).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        window.__runWatch = seen;
    }";

    public static Task StartAsync(IPage page) => page.EvaluateAsync(InstallJs);

    public sealed record Sample(double Step, int Points, bool Plot, string? ChartError, bool Broken);

    public static async Task<IReadOnlyList<Sample>> SamplesAsync(IPage page)
    {
        var json = await page.EvaluateAsync<JsonElement>("() => window.__runWatch ?? []");
        return json.EnumerateArray().Select(e => new Sample(
            e.GetProperty("step").ValueKind == JsonValueKind.Number ? e.GetProperty("step").GetDouble() : double.NaN,
            e.GetProperty("points").GetInt32(), e.GetProperty("plot").GetBoolean(),
            e.GetProperty("chartError").ValueKind == JsonValueKind.String ? e.GetProperty("chartError").GetString() : null,
            e.GetProperty("broken").GetBoolean())).ToList();
    }

    /// <summary>
    /// The page never showed Blazor's error bar or a chart error; the chart showed a plot once it had a point (allowing
    /// the one render between data and draw); and it saw the first points arrive (at most <paramref name="firstSeenBy"/>
    /// points when first seen with data), i.e. the watch really started from the beginning.
    /// </summary>
    public static async Task CheckAsync(IPage page, int firstSeenBy = 3)
    {
        var samples = await SamplesAsync(page);
        var text = string.Join("\n", samples);
        Assert.DoesNotContain(samples, s => s.Broken);
        Assert.DoesNotContain(samples, s => s.ChartError is not null);
        var withData = samples.Where(s => s.Points > 0).ToList();
        Assert.True(withData.Count > 0, "the loss chart never got a point:\n" + text);
        Assert.True(withData[0].Points <= firstSeenBy, $"the watch began late (first seen with {withData[0].Points} points):\n{text}");
        // The last state with data must show the plot (the draw follows each data render).
        await page.WaitForFunctionAsync("() => !!document.querySelector('[data-testid=loss-chart] .uplot canvas')", null, new() { Timeout = 10_000 });
        Assert.True(withData.Any(s => s.Plot), "the loss chart never showed a plot:\n" + text);
    }
}
