using System.Text.Json;
using MedSeg.Testing;
using Microsoft.Playwright;
using MedSeg.Web.E2E.Harness;

namespace MedSeg.Web.E2E;

/// <summary>Chromium without a portal: the built run-chart bundle served from the repository's wwwroot.</summary>
public sealed class ChartBrowserFixture : IAsyncLifetime
{
    public const string Origin = "http://charts.test";
    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
    }
}

/// <summary>
/// The run page's chart module (wwwroot/lib/charts/linechart.js, uPlot, built by the MedSeg.Web build) in real
/// Chromium, on the series that hung the old hand-written chart (issue 12: "RangeError: Invalid array length at
/// ticks" on a loss range a few ulps wide, or an x range of 0.125 at 1e15) and on a few hundred generated series,
/// degenerate ones included. Each test fails on any console error or page error (the shared guard).
/// </summary>
public sealed class RunChartTests(ChartBrowserFixture fixture) : IClassFixture<ChartBrowserFixture>, IAsyncLifetime
{
    private const string ModulePath = "/lib/charts/linechart.js";
    private readonly BrowserConsoleGuard _guard = new();
    private IBrowserContext? _context;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_context is not null) await _context.CloseAsync();
        _guard.AssertClean();
    }

    /// <summary>A page at a fake origin whose files are the repository's wwwroot (no server), chart module loaded.</summary>
    private async Task<IPage> OpenAsync()
    {
        var wwwroot = Path.Combine(RepositoryRoot.Path, "wwwroot");
        Assert.True(File.Exists(Path.Combine(wwwroot, ModulePath.TrimStart('/'))),
            $"{ModulePath} missing under {wwwroot}: the MedSeg.Web build makes it (npm + esbuild)");
        _context = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1000, Height = 800 } });
        await _context.RouteAsync(ChartBrowserFixture.Origin + "/**", async route =>
        {
            var path = new Uri(route.Request.Url).AbsolutePath;
            if (path == "/")
            {
                await route.FulfillAsync(new() { ContentType = "text/html", Body = "<!doctype html><html><body style='color:#333'></body></html>" });
                return;
            }
            var file = Path.GetFullPath(Path.Combine(wwwroot, path.TrimStart('/')));
            if (!file.StartsWith(wwwroot, StringComparison.Ordinal) || !File.Exists(file))
            {
                await route.FulfillAsync(new() { Status = 404, Body = "not found" });
                return;
            }
            var type = file.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : file.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : "application/octet-stream";
            await route.FulfillAsync(new() { ContentType = type, BodyBytes = await File.ReadAllBytesAsync(file) });
        });
        var page = await _context.NewPageAsync();
        _guard.Attach(page);
        page.SetDefaultTimeout(20_000);
        await page.GotoAsync(ChartBrowserFixture.Origin + "/");
        await page.EvaluateAsync($"async () => {{ window.chart = await import('{ModulePath}'); }}");
        return page;
    }

    // Draws a payload into a new 600×260 host the way the portal does; returns what draw returned and what it shows.
    private const string DrawJs = @"async (json) => {
        const payload = JSON.parse(json);
        const host = document.createElement('div');
        host.style.cssText = 'width:600px;height:260px';
        document.body.appendChild(host);
        const started = performance.now();
        const error = window.chart.draw(host, payload);
        await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        return { error, ms: performance.now() - started, canvases: host.querySelectorAll('canvas').length,
                 text: host.textContent, finite: host.dataset.finitePoints };
    }";

    public static TheoryData<string, string> IssuePayloads => new()
    {
        // The live run page's first two loss points, equal up to rounding: ticks() never ended.
        { "loss a few ulps apart", """{"series":[{"name":"loss","color":"#1976d2","x":[1,2],"y":[0.2,0.20000000000000004],"legend":true}],"xLabel":"step","yLabel":"loss","xFormat":"number","logY":false}""" },
        // The time axis of a run whose clock reads 1e15 s: an x range of 0.125 at 1e15.
        { "x range 0.125 at 1e15", """{"series":[{"name":"loss","color":"#1976d2","x":[1e15,1000000000000000.125],"y":[0.9,0.8],"legend":true}],"xLabel":"time","yLabel":"loss","xFormat":"duration","logY":false}""" },
        { "one point, log scale", """{"series":[{"name":"loss","color":"#1976d2","x":[1],"y":[0.69],"legend":true}],"xLabel":"step","yLabel":"loss","xFormat":"number","logY":true}""" },
        { "smoothed and raw, constant", """{"series":[{"name":"loss (raw)","color":"#1976d2","alpha":0.25,"width":1,"x":[1,2,3],"y":[0.5,0.5,0.5],"legend":false},{"name":"loss","color":"#1976d2","alpha":1,"width":2,"x":[1,2,3],"y":[0.5,0.5,0.5],"legend":true}],"xLabel":"step","yLabel":"loss","xFormat":"number","logY":false,"syncKey":"run-1-step"}""" },
    };

    [Theory]
    [MemberData(nameof(IssuePayloads))]
    public async Task Series_that_hung_the_old_chart_are_drawn(string name, string payloadJson)
    {
        var page = await OpenAsync();
        var result = await page.EvaluateAsync<JsonElement>(DrawJs, payloadJson);
        Assert.True(result.GetProperty("error").ValueKind == JsonValueKind.Null, $"{name}: {result}");
        Assert.True(result.GetProperty("canvases").GetInt32() >= 1, $"{name}: no uPlot canvas: {result}");
        Assert.True(result.GetProperty("ms").GetDouble() < 5_000, $"{name}: drawing took {result.GetProperty("ms")} ms");
    }

    [Fact]
    public async Task Values_under_the_cursor_are_shown_and_synced_across_charts()
    {
        var page = await OpenAsync();
        await page.EvaluateAsync(@"() => {
            const make = (name, y) => {
                const host = document.createElement('div');
                host.style.cssText = 'width:600px;height:260px';
                document.body.appendChild(host);
                const error = window.chart.draw(host, { series: [{ name, color: '#1976d2', x: [1, 2, 3, 4, 5], y, legend: true }],
                    xLabel: 'step', yLabel: name, xFormat: 'number', logY: false, syncKey: 'run-7-step' });
                if (error) throw new Error(error);
            };
            make('loss', [0.9, 0.7, 0.5, 0.4, 0.35]);
            make('lr', [1e-4, 2e-4, 3e-4, 4e-4, 5e-4]);
        }");
        // Hover the middle of the loss chart (x = step 3); the lr chart's cursor follows. The position is read again
        // on each try: the chart's stylesheet may still be arriving and moving things.
        const string legendsJs = "() => [...document.querySelectorAll('.u-legend')].map(l => l.textContent)";
        const string atStep3Js = "() => [...document.querySelectorAll('.u-legend')].every(l => /step3(?![0-9.])/.test(l.textContent))";
        for (var attempt = 0; attempt < 50 && !await page.EvaluateAsync<bool>(atStep3Js); attempt++)
        {
            var box = await page.Locator(".u-over").First.BoundingBoxAsync();
            Assert.NotNull(box);
            await page.Mouse.MoveAsync(box.X + box.Width / 2 + attempt % 2, box.Y + box.Height / 2);
            await page.WaitForTimeoutAsync(100);
        }
        Assert.True(await page.EvaluateAsync<bool>(atStep3Js),
            "the legends did not follow the cursor to step 3: " + string.Join(" | ", await page.EvaluateAsync<string[]>(legendsJs)));
        var legends = await page.EvaluateAsync<string[]>(legendsJs);
        Assert.Equal(2, legends.Length);
        Assert.Contains("0.5", legends[0]);
        Assert.Contains("3.000e-4", legends[1]);
    }

    [Fact]
    public async Task A_chart_that_cannot_draw_says_so_and_never_throws()
    {
        var page = await OpenAsync();
        // No host at all, and a host whose payload is not a payload: draw must return a message, not throw.
        var messages = await page.EvaluateAsync<string?[]>(@"() => {
            const host = document.createElement('div');
            document.body.appendChild(host);
            return [window.chart.draw(null, { series: [] }), window.chart.draw(host, 42), window.chart.draw(host, { series: 'x' })];
        }");
        Assert.NotNull(messages[0]);
        Assert.Contains("could not be drawn", messages[0]);
        Assert.Null(messages[1]);  // a non-payload is an empty chart ("No data yet")
        Assert.Null(messages[2]);
        _guard.Allow("^console error: linechart:"); // the failed draw reports itself on the console, as intended
    }

    /// <summary>
    /// Property: for every generated payload, draw returns null (no error) and shows a plot or a "no data" note, and
    /// safeRange/ticks give a finite, non-empty range with at most 25 distinct ascending ticks inside it. Families:
    /// constant, single point, values a few ulps apart, NaN/±Inf mixed in, huge (±1e308) and tiny (denormal)
    /// magnitudes, empty series, random walks; linear and log axes; the same host redrawn with new data.
    /// </summary>
    [Fact]
    public async Task Generated_series_always_draw_and_give_sane_ranges_and_ticks()
    {
        var page = await OpenAsync();
        var result = await page.EvaluateAsync<JsonElement>(PropertyJs, new { seed = 20261202, cases = 400 });
        Assert.True(result.GetProperty("failures").GetArrayLength() == 0, result.GetProperty("failures").ToString());
        Assert.Equal(400, result.GetProperty("checked").GetInt32());
        Assert.True(result.GetProperty("drawn").GetInt32() > 200, $"too few cases had finite points: {result}");
    }

    private const string PropertyJs = @"async ({ seed, cases }) => {
        let s = seed >>> 0;
        const rand = () => { s = (s + 0x6D2B79F5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
        const pick = a => a[Math.floor(rand() * a.length)];
        const buf = new DataView(new ArrayBuffer(8));
        const ulps = (v, k) => { buf.setFloat64(0, v); buf.setBigInt64(0, buf.getBigInt64(0) + BigInt(k)); return buf.getFloat64(0); };
        const magnitudes = [1, 1e-3, 0.2, 1e6, 1e15, 1e300, 1.7e308, 1e-300, 5e-324, 0];
        const specials = [NaN, Infinity, -Infinity];
        const family = ['constant', 'single', 'ulps', 'nonfinite', 'walk', 'empty', 'huge', 'tiny', 'allnan'];
        const series = (kind, n, xBase) => {
            const m = pick(magnitudes) * (rand() < 0.3 ? -1 : 1);
            const x = [], y = [];
            for (let i = 0; i < n; i++) {
                x.push(kind === 'ulps' && rand() < 0.5 ? ulps(xBase, i) : xBase + i * pick([1, 0.125, 1e-9, 1e9]));
                let v;
                switch (kind) {
                    case 'constant': v = m; break;
                    case 'ulps': v = ulps(m === 0 ? 0.2 : m, Math.floor(rand() * 4)); break;
                    case 'nonfinite': v = rand() < 0.3 ? pick(specials) : m * rand(); break;
                    case 'huge': v = pick([1e308, -1e308, 1.7976931348623157e308, -1.7e308]) * rand(); break;
                    case 'tiny': v = pick([5e-324, 1e-310, -5e-324, 2.2e-308]) * Math.floor(rand() * 3); break;
                    case 'allnan': v = NaN; break;
                    default: v = m + (rand() - 0.5) * Math.abs(m || 1);
                }
                y.push(v);
            }
            return { x, y };
        };
        const failures = [];
        let drawn = 0, checked = 0;
        const host = document.createElement('div');
        host.style.cssText = 'width:500px;height:220px';
        document.body.appendChild(host);
        for (let c = 0; c < cases; c++) {
            const kind = pick(family);
            const n = kind === 'single' ? 1 : kind === 'empty' ? 0 : 1 + Math.floor(rand() * 60);
            const xBase = pick([0, 1, 1e15, -5, 1e300]);
            const count = 1 + Math.floor(rand() * 3);
            const payload = {
                series: Array.from({ length: count }, (_, i) => ({ name: 's' + i, color: pick(['#1976d2', '#ef6c00', 'red']), alpha: pick([1, 0.25]), width: 1.5, legend: i > 0 || rand() < 0.5, ...series(kind, n, xBase) })),
                xLabel: 'step', yLabel: 'loss', xFormat: pick(['number', 'duration']), logY: rand() < 0.3, syncKey: rand() < 0.5 ? 'sync-prop' : null,
            };
            const where = `case ${c} (seed ${seed}, ${kind}, n=${n}, logY=${payload.logY})`;
            try {
                // Half the cases redraw the same host (uPlot's setData path), half start a new chart.
                const target = rand() < 0.5 ? host : (() => { const h = document.createElement('div'); h.style.cssText = 'width:400px;height:200px'; document.body.appendChild(h); return h; })();
                const error = window.chart.draw(target, payload);
                if (error !== null) failures.push(`${where}: draw returned ${error}`);
                const prepared = window.chart.prepare(payload);
                if (prepared.finitePoints > 0) {
                    drawn++;
                    if (!target.querySelector('canvas')) failures.push(`${where}: no canvas`);
                } else if (!/No (data|finite values) yet/.test(target.textContent)) failures.push(`${where}: no empty note`);
                const ys = prepared.aligned.slice(1).flat().filter(v => v != null);
                const xs = prepared.aligned[0];
                for (let i = 1; i < xs.length; i++) if (!(xs[i] > xs[i - 1])) { failures.push(`${where}: x not strictly ascending`); break; }
                for (const [lo, hi, log] of [[Math.min(...xs), Math.max(...xs), false], [Math.min(...ys), Math.max(...ys), payload.logY]]) {
                    const [a, b] = window.chart.safeRange(lo, hi, log);
                    if (!(Number.isFinite(a) && Number.isFinite(b) && a < b && Number.isFinite(b - a))) failures.push(`${where}: range [${a}, ${b}] from [${lo}, ${hi}]`);
                    if (log && !(a > 0)) failures.push(`${where}: log range starts at ${a}`);
                    for (const count of [1, 2, 5, 12, 1000]) {
                        const t = (log ? window.chart.logTicks : window.chart.ticks)(a, b, count);
                        if (t.length === 0 || t.length > 25) failures.push(`${where}: ${t.length} ticks for [${a}, ${b}]`);
                        for (let i = 1; i < t.length; i++) if (!(t[i] > t[i - 1])) { failures.push(`${where}: ticks not ascending ${t}`); break; }
                        if (t.some(v => !Number.isFinite(v))) failures.push(`${where}: non-finite tick`);
                    }
                }
            } catch (e) {
                failures.push(`${where}: threw ${e}`);
            }
            checked++;
            if (failures.length > 10) break;
        }
        await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        return { failures, drawn, checked };
    }";
}
