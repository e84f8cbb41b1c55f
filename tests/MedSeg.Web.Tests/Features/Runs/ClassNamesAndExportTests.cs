using Bunit;
using MedSeg.Core.Generators.AvsDb;
using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Training.FineTune;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Features.Runs.Pages;
using MedSeg.Web.Components;
using MedSeg.Web.Features.Downstream;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>Per-class Dice named by <see cref="RunClassNames"/> on the run page, compare view and leaderboard; CSV export of the rows shown.</summary>
public sealed class ClassNamesAndExportTests : RunPageTestBase
{
    private static readonly DateTime T0 = DateTime.UtcNow.AddMinutes(-5);

    // Pages load from a real database: generous on a loaded machine, returns as soon as the assertion holds.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // 2 xy classes × 2 z classes: class id = xy * 2 + z + 1.
    private static readonly AvsDbSpec Spec = AvsDbSpec.CodeDefault(32) with
    {
        Xy = AvsDbSpec.CodeDefault(32).Xy with { VertexCounts = [0, 5] },
        ZClasses = [ZClassSpec.Prism(), ZClassSpec.Hourglass()],
    };

    private static readonly string[] SpecNames = ["background", "ellipse · constant", "ellipse · concave inside", "5-gon · constant", "5-gon · concave inside"];

    private static RunStepPoint Validated(long step, params double?[] perClass) =>
        new(step, T0.AddSeconds(step), 0.5, 1e-4, 2, 0, 0, perClass.Skip(1).Average(), perClass);

    [Fact]
    public async Task RunPage_FdslOnAvsDb_NamesEachClassByItsXyAndZClass()
    {
        var run = Run(5, "fdsl", TrainingRunStatus.Paused);
        run.SpecJson = Spec.ToJson();
        await SeedAsync(pi: false, run);
        await AddMetricsAsync(5, [Validated(10, 0.99, 0.81, 0.72, 0.63, 0.54)]);
        EnsurePopoverProvider();

        var page = Render<RunDetail>(p => p.Add(c => c.Id, 5));

        page.WaitForAssertion(() => Assert.Equal(SpecNames, page.FindAll("[data-testid=run-class-dice] .class-dice-name").Select(e => e.TextContent)), Patience);
        Assert.Contains("5-gon · constant 0.630", page.Find("[data-testid=run-class-dice]").TextContent);
    }

    [Fact]
    public async Task Compare_FineTuneRuns_ShowPerClassTable_WithTheDatasetsLabelNames()
    {
        var dataset = Path.Combine(DataRoot, "downstream", "organs");
        Directory.CreateDirectory(dataset);
        await File.WriteAllTextAsync(Path.Combine(dataset, "dataset.json"), """{"name":"organs","labels":{"0":"background","1":"liver","2":"spleen"}}""");
        var config = FineTuneRunConfig.Write(new FineTuneOptions { DatasetDir = "downstream/organs", Model = "BasicUNet", PatchSize = 32 });
        var a = Run(1, "scratch", TrainingRunStatus.Completed);
        var b = Run(2, "pretrained", TrainingRunStatus.Completed);
        foreach (var r in new[] { a, b }) (r.Method, r.ConfigJson) = (TrainingMethods.FineTune, config);
        await SeedAsync(pi: false, a, b);
        await AddMetricsAsync(1, [Validated(5, 0.9, 0.5, 0.25)]);
        await AddMetricsAsync(2, [Validated(5, 0.95, 0.75, 0.625)]);
        Services.GetRequiredService<NavigationManager>().NavigateTo("runs/compare?ids=1,2");
        EnsurePopoverProvider();

        var page = Render<RunCompare>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=compare-class-dice]")), Patience);
        var rows = page.FindAll("[data-testid=compare-class-dice] [data-testid=class-dice-row]")
            .Select(r => string.Join("|", r.QuerySelectorAll("td").Select(td => td.TextContent))).ToList();
        Assert.Equal(["background|0.900|0.950", "liver|0.500|0.750", "spleen|0.250|0.625"], rows);
    }

    [Fact]
    public async Task Leaderboard_PerClassToggle_NamesClassesFromTheTrainingDatasetsSpec()
    {
        await SeedAsync(pi: false);
        var factory = Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Datasets.Add(new Dataset { Id = 3, Name = "avs", Kind = DatasetKinds.AvsDb, SpecJson = Spec.ToJson(), Status = DatasetStatus.Completed,
                Path = "datasets/3", OwnerId = OwnerId, CreatedUtc = T0, UpdatedUtc = T0 });
            var run = Run(9, "on-dataset", TrainingRunStatus.Completed, best: 0.6, final: 0.6);
            (run.DatasetId, run.OwnerId, run.CreatedAt, run.RunFolder) = (3, OwnerId, T0, "runs/9");
            db.TrainingRuns.Add(run);
            await db.SaveChangesAsync();
        }
        await AddMetricsAsync(9, [Validated(4, 0.9, 0.1, 0.2, 0.3, 0.4), Validated(8, 0.99, 0.61, 0.62, 0.63, 0.64)]);
        EnsurePopoverProvider();

        var page = Render<RunLeaderboard>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=leaderboard-row]")), Patience);
        await page.Find("[data-testid=leaderboard-class-toggle]").ClickAsync(new());

        page.WaitForAssertion(() =>
        {
            var names = page.FindAll("[data-testid=leaderboard-class-dice] .class-dice-name").Select(e => e.TextContent).ToList();
            Assert.Equal(SpecNames, names);
        }, Patience);
        var table = page.Find("[data-testid=leaderboard-class-dice]").TextContent;
        Assert.Contains("step 8", table); // the newest validation
        Assert.Contains("0.640", table);
    }

    [Fact]
    public async Task LeaderboardExport_HoldsOnlyTheFilteredRows_InRankOrder()
    {
        await SeedAsync(pi: false,
            Run(1, "alpha-low", TrainingRunStatus.Completed, best: 0.3, loss: 0.2),
            Run(2, "beta", TrainingRunStatus.Completed, best: 0.9, loss: 0.4),
            Run(3, "alpha-high", TrainingRunStatus.Completed, best: 0.7, loss: 0.1),
            Run(4, "alpha-failed", TrainingRunStatus.Failed, best: 0.8));
        var download = SetupDownload();
        EnsurePopoverProvider();
        var page = Render<RunLeaderboard>();
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=leaderboard-row]").Count), Patience);

        page.Find("[data-testid=leaderboard-filter] input, input[data-testid=leaderboard-filter]").Input("alpha");
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=leaderboard-row]").Count), Patience);
        await page.Find("[data-testid=leaderboard-export]").ClickAsync(new());

        var (name, csv) = LastDownload(download);
        Assert.Equal("leaderboard.csv", name);
        var rows = Rows(csv);
        Assert.Equal(["rank", "best_val_dice", .. RunCsv.Header.Split(',')], rows[0]); // rank and the chosen metric first
        var body = rows.Skip(1).ToList();
        Assert.Equal([4, 3, 1], body.Select(r => int.Parse(r[2]))); // rank order by best Dice; "beta" filtered out
        Assert.Equal([1, 2, 3], body.Select(r => int.Parse(r[0])));
        var scores = body.Select(r => double.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([0.8, 0.7, 0.3], scores);
        Assert.Equal(body.Select(r => r[2 + Array.IndexOf(RunCsv.Header.Split(','), "best_val_dice")]), body.Select(r => r[1]));

        // Ranked by last loss (the select's own ValueChanged, as a pick does): the score column follows the metric,
        // smallest loss first; the run without a loss is left out as on the page.
        page.Find("[data-testid=leaderboard-filter] input, input[data-testid=leaderboard-filter]").Input("");
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=leaderboard-row]").Count), Patience);
        var select = page.FindComponent<MudBlazor.MudSelect<LeaderboardMetric>>();
        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(LeaderboardMetric.LastLoss));
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=leaderboard-row]").Count), Patience);
        await page.Find("[data-testid=leaderboard-export]").ClickAsync(new());
        var byLoss = Rows(LastDownload(download).Csv);
        Assert.Equal(["rank", "last_loss"], byLoss[0].Take(2));
        var lossRows = byLoss.Skip(1).ToList();
        Assert.Equal([3, 1, 2], lossRows.Select(r => int.Parse(r[2])));
        Assert.Equal([1, 2, 3], lossRows.Select(r => int.Parse(r[0])));
        Assert.Equal([0.1, 0.2, 0.4], lossRows.Select(r => double.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task RunListExport_HoldsTheSearchResult_OrTheSelection()
    {
        await SeedAsync(pi: false,
            Run(1, "alpha", TrainingRunStatus.Completed, best: 0.3),
            Run(2, "beta", TrainingRunStatus.Completed, best: 0.9),
            Run(3, "alpha-2", TrainingRunStatus.Queued),
            Run(4, "gamma", TrainingRunStatus.Failed));
        var download = SetupDownload();
        EnsurePopoverProvider();
        SetRendererInfo(Interactive);
        var page = Render<RunList>();
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=run-link]").Count), Patience);

        // Nothing selected: the grid's search decides.
        page.Find("[data-testid=runs-search] input, input[data-testid=runs-search]").Input("alpha");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=run-link]").Count), Patience);
        await page.Find("[data-testid=runs-export]").ClickAsync(new());
        Assert.Equal([1, 3], RunIds(LastDownload(download).Csv).Order());
        Assert.StartsWith(RunCsv.Header + "\n", LastDownload(download).Csv); // no rank columns outside the leaderboard

        // A selection wins: exactly the selected runs.
        page.Find("[data-testid=runs-search] input, input[data-testid=runs-search]").Input("");
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=run-link]").Count), Patience);
        SelectRow(page, 2);
        SelectRow(page, 4);
        page.WaitForAssertion(() => Assert.Contains("2 selected", page.Find("[data-testid=runs-export]").TextContent), Patience);
        await page.Find("[data-testid=runs-export]").ClickAsync(new());
        Assert.Equal([2, 4], RunIds(LastDownload(download).Csv).Order());
    }

    private static void SelectRow(IRenderedComponent<RunList> page, int id)
    {
        // The row's own selection checkbox, as a user ticks it.
        var row = page.FindAll("tbody tr").Single(tr => tr.QuerySelector("[data-testid=run-link]")?.GetAttribute("href") == $"runs/{id}");
        row.QuerySelector("input[type=checkbox]")!.Change(true);
    }

    private BunitJSModuleInterop SetupDownload()
    {
        var module = JSInterop.SetupModule(FileDownload.ModuleUrl);
        module.SetupVoid("downloadFromStream", _ => true).SetVoidResult();
        return module;
    }

    private static (string Name, string Csv) LastDownload(BunitJSModuleInterop module)
    {
        var call = module.Invocations["downloadFromStream"].Last();
        var stream = (MemoryStream)((DotNetStreamReference)call.Arguments[2]!).Stream;
        return ((string)call.Arguments[0]!, System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    // Rows split on commas: the seeded names, owners and tags hold no quoted fields.
    private static List<string[]> Rows(string csv) => [.. csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(','))];

    private static List<int> RunIds(string csv) =>
        [.. csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => int.Parse(line.Split(',')[0]))];
}
