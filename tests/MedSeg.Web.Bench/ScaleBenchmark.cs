using System.Diagnostics;
using System.Globalization;
using MedSeg.Data;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Features.Lists;
using MedSeg.Web.Features.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Npgsql;

namespace MedSeg.Web.Bench;

/// <summary>
/// The portal at lab scale (issue 18): per provider (SQLite, PostgreSQL from <c>--postgres</c> or MEDSEG_TEST_POSTGRES, as
/// <c>deploy/start-test-postgres.sh</c> prints it), a fresh database seeded by <see cref="ScaleSeed"/> (10,000 runs × 1,000
/// step rows + events, a running run with 100,000 points, 1,000 datasets, 100 protocols), the real portal in-process, and
/// the system Chromium timing every list page, the dashboard and the live run page: first render (navigation start →
/// the first frame that paints the rows, measured in the page, after the previous page has settled) and page change
/// (click → first row replaced), median and worst of <c>--repeats</c>; the first render of each page's first visit (its
/// components' code compiled, its query planned) is also shown on its own. Also the server-side query behind each page
/// (median, ms), to tell the database from the browser. Prints one table.
/// </summary>
public static class ScaleBenchmark
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private static string Key(string selector, string attribute) =>
        $"(document.querySelector(\"{selector}\")?.{(attribute == "text" ? "textContent" : $"getAttribute('{attribute}')")} ?? null)";

    public static async Task<int> RunAsync(BenchArguments a)
    {
        var providers = a.Provider == "both" ? new[] { "sqlite", "postgres" } : [a.Provider];
        var lines = new List<string>();
        foreach (var provider in providers)
        {
            string? postgres = null;
            if (provider == "postgres")
            {
                var server = a.Postgres ?? Environment.GetEnvironmentVariable("MEDSEG_TEST_POSTGRES");
                if (string.IsNullOrWhiteSpace(server))
                {
                    Console.Error.WriteLine("postgres: no connection string (--postgres or MEDSEG_TEST_POSTGRES from deploy/start-test-postgres.sh); skipped.");
                    continue;
                }
                postgres = new NpgsqlConnectionStringBuilder(server) { Database = $"medseg_scale_{Guid.NewGuid():N}", CommandTimeout = 1800 }.ConnectionString;
            }
            lines.AddRange(await RunProviderAsync(a, provider, postgres));
        }
        Console.WriteLine();
        Console.WriteLine($"Scale benchmark: {a.Runs:N0} runs × {a.StepsPerRun:N0} step rows, live run {a.LivePoints:N0} points; {Environment.ProcessorCount} CPUs, " +
            $"load average {LoadAverage()} at the end, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; times in ms, median / worst of {a.Repeats}");
        Console.WriteLine("| provider | page | first render | of which the first visit | page change | HTML (server prerender) | server query |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var line in lines) Console.WriteLine(line);
        return 0;
    }

    private static async Task<List<string>> RunProviderAsync(BenchArguments a, string provider, string? postgres)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"medseg-bench-scale-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        var app = await BenchPortal.StartAsync(temp, postgres);
        try
        {
            var address = BenchPortal.Address(app);
            var cookie = await BenchPortal.RegisterAsync(address, "pi@scale.local", "Passw0rd!");
            var timer = Stopwatch.StartNew();
            var lab = await ScaleSeed.SeedAsync(app.Services, Path.Combine(temp, "data"), a);
            Console.WriteLine($"{provider}: seeded {lab.Runs:N0} runs ({lab.FineTunes:N0} fine-tunes), {lab.StepRows:N0} step rows, {lab.Datasets} datasets, " +
                $"{lab.Protocols} protocols in {timer.Elapsed.TotalSeconds:F0} s (load {LoadAverage()})");

            // The downstream board records each completed fine-tune's dataset and Dice the first time it meets it: once.
            var boardReader = new DownstreamLeaderboard(app.Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>(),
                app.Services.GetRequiredService<MedSeg.Web.Infrastructure.DataPaths>());
            timer.Restart();
            var board = await boardReader.ReadAsync(lab.User, lab.DownstreamDataset);
            Console.WriteLine($"{provider}: downstream board, first view (records {board.Total:N0} evaluated fine-tunes once): {timer.Elapsed.TotalMilliseconds:F0} ms");

            var lists = app.Services.GetRequiredService<PagedLists>();
            var dashboard = app.Services.GetRequiredService<DashboardLists>();
            using var scope = app.Services.CreateScope();
            var runs = scope.ServiceProvider.GetRequiredService<TrainingRunService>();
            var liveBuffer = app.Services.GetRequiredService<MedSeg.Web.Features.Runs.Live.RunLiveBuffer>();
            var queries = new Dictionary<string, Func<Task>>
            {
                ["runs"] = () => lists.RunsAsync(lab.User, new ListQuery(2, 50)),
                ["leaderboard"] = () => lists.LeaderboardAsync(lab.User, LeaderboardMetric.BestValidationDice, new ListQuery(2, 50)),
                ["downstream leaderboard"] = () => boardReader.ReadAsync(lab.User, lab.DownstreamDataset, 2),
                ["datasets"] = () => lists.DatasetsAsync(lab.User, new ListQuery(2, 50)),
                ["benchmarks"] = () => lists.BenchmarksAsync(lab.User, new ListQuery(2, 25, "name", Desc: false)),
                ["dashboard"] = () => dashboard.ReadAsync(lab.User),
                // What the run page reads (bounded: Training:ChartHistoryPoints rows), and the API's every-step answer for scripts.
                ["live run"] = () => liveBuffer.ChartHistoryAsync(lab.LiveRunId, 0),
                ["live run, metrics API (every step)"] = () => runs.MetricsAsync(lab.User, lab.LiveRunId, 0),
            };
            var server = new Dictionary<string, double>();
            foreach (var (name, query) in queries)
            {
                var times = new List<double>();
                for (var i = 0; i < a.Repeats + 1; i++)
                {
                    timer.Restart();
                    await query();
                    if (i > 0) times.Add(timer.Elapsed.TotalMilliseconds); // the first call compiles the query
                }
                server[name] = Median(times);
                if (name.Contains("API", StringComparison.Ordinal)) Console.WriteLine($"{provider}: {name}: {server[name]:F0} ms (median server query)");
            }

            TimedPage[] pages =
            [
                new("runs", "/runs", "[data-testid=run-link]", Key("[data-testid=run-link]", "text"), "[data-testid=runs-grid] .mud-table-pagination-actions button:nth-child(3)"),
                new("leaderboard", "/runs/leaderboard", "[data-testid=leaderboard-row]", Key("[data-testid=leaderboard-row]", "data-run"), "[data-testid=leaderboard-pager] button[aria-label*='ext'], [data-testid=leaderboard-pager] li:last-child button"),
                new("downstream leaderboard", "/runs/downstream?dataset=" + Uri.EscapeDataString(lab.DownstreamDataset), "[data-testid=downstream-row]",
                    Key("[data-testid=downstream-row]", "data-run"), "[data-testid=downstream-pager] button[aria-label*='ext'], [data-testid=downstream-pager] li:last-child button"),
                new("datasets", "/datasets", "[data-testid=dataset-link]", Key("[data-testid=dataset-link]", "text"), "[data-testid=datasets-grid] .mud-table-pagination-actions button:nth-child(3)"),
                new("benchmarks", "/benchmarks", "[data-testid^=benchmark-protocols] tbody tr"),
                new("dashboard", "/", "[data-testid=home-recent-run]"),
                new("live run", $"/runs/{lab.LiveRunId}", $"[data-testid=loss-chart][data-last-x='{a.LivePoints}']"),
            ];
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ChromiumPath, Headless = true, Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
            });
            var context = await browser.NewContextAsync(new() { BaseURL = address, ViewportSize = new() { Width = 1400, Height = 1000 } });
            var split = cookie.IndexOf('=');
            await context.AddCookiesAsync([new Cookie { Name = cookie[..split], Value = cookie[(split + 1)..], Url = address }]);
            var page = await context.NewPageAsync();
            var console = new List<string>();
            page.Console += (_, m) => { if (m.Type is "error" or "warning") console.Add(m.Text); };
            page.PageError += (_, e) => console.Add(e);
            var pageTimer = new PageTimer(page);
            await pageTimer.FirstRenderAsync(pages[0]); // the browser's first visit loads the scripts: not a page's figure
            // That first signed-in view starts the portal's page warm-up (Portal:WarmUpPages); a person's next click comes
            // seconds later, so the figures start once it is done, as theirs would.
            var warmUp = app.Services.GetRequiredService<MedSeg.Web.Infrastructure.PageWarmUp>();
            if (warmUp.Started)
            {
                var warmed = await warmUp.Warmed.WaitAsync(warmUp.Longest);
                Console.WriteLine($"{provider}: page warm-up after the first view: {string.Join(", ", warmed)}");
            }
            else Console.WriteLine($"{provider}: no page warm-up (Portal:WarmUpPages is off)");

            using var http = new HttpClient { BaseAddress = new Uri(address) };
            http.DefaultRequestHeaders.Add("Cookie", cookie);
            var lines = new List<string>();
            foreach (var p in pages)
            {
                var first = new List<double>();
                var change = new List<double>();
                var html = new List<double>();
                try
                {
                    for (var i = 0; i < a.Repeats; i++)
                    {
                        first.Add(await pageTimer.FirstRenderAsync(p));
                        if (p.Next is not null) change.Add(await pageTimer.PageChangeAsync(p));
                        timer.Restart();
                        await http.GetStringAsync(p.Url);
                        html.Add(timer.Elapsed.TotalMilliseconds);
                    }
                }
                catch (TimeoutException e)
                {
                    // Say which page and what the browser showed, then go on with the others.
                    Console.Error.WriteLine($"{provider} {p.Name}: {e.Message}; browser console: {string.Join(" | ", console.TakeLast(5))}");
                    await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"medseg-scale-{provider}-{p.Name.Replace(' ', '-')}.png") });
                    first.Add(double.PositiveInfinity);
                }
                var line = $"| {provider} | {p.Name} | {Format(first)} | {(first.Count == 0 ? "—" : first[0].ToString("F0", CultureInfo.InvariantCulture))} | " +
                           $"{(change.Count == 0 ? "—" : Format(change))} | {Format(html)} | {server[p.Name]:F0} |";
                Console.WriteLine(line);
                lines.Add(line);
            }
            return lines;
        }
        finally
        {
            await app.DisposeAsync(); // first: its background services must not meet a dropped database
            if (postgres is not null)
            {
                var builder = new NpgsqlConnectionStringBuilder(postgres);
                var database = builder.Database;
                builder.Database = "postgres";
                try
                {
                    await using var connection = new NpgsqlConnection(builder.ConnectionString);
                    await connection.OpenAsync();
                    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
                    await drop.ExecuteNonQueryAsync();
                }
                catch (NpgsqlException e) { Console.Error.WriteLine($"postgres: could not drop {database}: {e.Message}"); }
            }
            try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    private static string Format(List<double> values) => values.Count == 0 ? "—" : $"{Median(values):F0} / {values.Max():F0}";

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }
}
