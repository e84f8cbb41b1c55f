using MedSeg.Web.Features.Lists;
using Bunit;
using MedSeg.Core.Benchmarks;
using MedSeg.Data.Entities;
using MedSeg.Training.Benchmarks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using MedSeg.Web.Features.Benchmarks;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Tests.Features.Downstream;

namespace MedSeg.Web.Tests.Features.Benchmarks;

/// <summary>
/// A protocol through the portal's real training service: saved (versioned), run on a tiny FDSL run and scratch for
/// seeds 1 and 2 of its three (2 methods × 2 budgets × 2 seeds = 8 fine-tunes in the normal queue), the grid fills, the
/// table appears with the same numbers as the runs' evaluation.json; running the third seed queues only its 4 cells, and
/// a new version adding a fourth seed shares every cell already there.
/// </summary>
public sealed class BenchmarkPortalTests
{
    private static string ProtocolJson(string seeds, string datasets = "\"downstream/phantom\"") => $$"""
        { "name": "tiny", "datasets": [{{datasets}}], "budgets": [1, 2], "seeds": [{{seeds}}],
          "fineTune": { "model": "BasicUNet", "modelArgs": { "features": "(4, 4, 8, 8, 16, 4)" }, "patchSize": 32, "steps": 2,
                        "batchSize": 1, "learningRate": 0.001, "validationEvery": 0, "checkpointEvery": 2, "device": "cpu",
                        "loaderWorkers": 1, "prefetch": 1, "torchThreads": 1 },
          "metrics": ["dice", "assd"] }
        """;

    [Fact]
    public async Task Protocol_Runs_Through_The_Queue_Fills_The_Grid_And_Adding_A_Seed_Queues_Only_New_Cells()
    {
        await using var factory = new PortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@benchmarks.test");
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        DownstreamPhantom.Create(factory.DataRoot);
        var pretrain = await RunTestHelpers.CreateAsync(factory, user, RunTestHelpers.TinyRequest("fdsl-tiny", 4, checkpointEvery: 4));

        // Problems name the field and value; nothing is stored.
        var problems = await WithAsync(factory, s => Task.FromResult(s.Problems(user, ProtocolJson("1, 2", "\"downstream/nope\""))));
        Assert.Contains(problems, p => p.Contains("Protocol.seeds") && p.Contains("'2'"));
        problems = await WithAsync(factory, s => Task.FromResult(s.Problems(user, ProtocolJson("1, 2, 3", "\"downstream/nope\""))));
        Assert.Contains(problems, p => p.Contains("Protocol.datasets[0]") && p.Contains("'downstream/nope'"));
        Assert.Equal(0, (await factory.Services.GetRequiredService<PagedLists>().BenchmarksAsync(user, new ListQuery())).Total);

        var v1 = await WithAsync(factory, s => s.SaveAsync(user, ProtocolJson("1, 2, 3")));
        Assert.Equal(1, v1.Version);
        await RunTestHelpers.WaitForAsync(factory, pretrain.Id, r => r.IsFinished, TimeSpan.FromMinutes(3));
        var launch = await WithAsync(factory, s => s.RunAsync(user, v1.Id, [pretrain.Id], scratch: true, seeds: [1, 2]));
        Assert.Equal(new BenchmarkLaunch(8, 0), launch);
        Assert.Equal(new BenchmarkLaunch(0, 8), await WithAsync(factory, s => s.RunAsync(user, v1.Id, [pretrain.Id], scratch: true, seeds: [1, 2])));

        var view = (await WithAsync(factory, s => s.ViewAsync(user, v1.Id)))!;
        Assert.Equal(8, view.Cells.Count);
        Assert.Equal(["scratch", "fdsl-tiny (FDSL)"], view.MethodOrder);
        foreach (var cell in view.Cells)
        {
            var done = await RunTestHelpers.WaitForAsync(factory, cell.RunId, r => r.IsFinished, TimeSpan.FromMinutes(4));
            Assert.True(done.Status == TrainingRunStatus.Completed, $"cell run {cell.RunId}: {done.Status} {done.ErrorText}");
        }
        view = (await WithAsync(factory, s => s.ViewAsync(user, v1.Id)))!;
        Assert.Equal(8, view.Count(GridState.Done));
        Assert.Equal(16, view.Scores.Count); // 8 cells × (dice, assd)

        // The cells' numbers are their runs' evaluation.json; same budget draw for both methods at a seed.
        await using (var db = await factory.Db.CreateDbContextAsync())
        {
            var runs = await db.TrainingRuns.AsNoTracking().Where(r => r.Method == TrainingMethods.FineTune).ToListAsync();
            foreach (var cell in view.Cells)
            {
                var run = runs.Single(r => r.Id == cell.RunId);
                var evaluation = MedSeg.Training.FineTune.FineTuneEvaluation.Read(Path.Combine(factory.DataRoot, run.RunFolder));
                Assert.Equal(evaluation.MeanDice, view.Scores.Single(s => s.Metric == "dice" && s.Seed == cell.Seed && s.Method == cell.MethodLabel
                    && s.Budget == cell.Budget).Value);
                var o = FineTuneRunConfig.Read(run.ConfigJson, "cell");
                Assert.Equal(cell.Budget.Cases, o.TrainCases!.Count);
                Assert.Equal(cell.MethodKey == "scratch" ? "scratch" : $"run:runs/{pretrain.Id}", o.Init);
            }
            var drawn = runs.Select(r => FineTuneRunConfig.Read(r.ConfigJson, "cell")).GroupBy(o => (o.Seed, o.TrainCases!.Count))
                .Select(g => g.Select(o => string.Join(",", o.TrainCases!)).Distinct().Count());
            Assert.All(drawn, n => Assert.Equal(1, n));
        }

        // Exports are the Core's on the same scores.
        var (file, _, csv) = BenchmarkExport.Build(view, "csv", null);
        Assert.Equal("tiny-v1.csv", file);
        Assert.Equal(17, csv.TrimEnd('\n').Split('\n').Length);
        Assert.Contains("\\bottomrule", BenchmarkExport.Build(view, "latex", "dice").Text);
        Assert.Empty(view.Configs); // only the HTML report reads the cells' configs
        view = (await WithAsync(factory, s => s.ViewAsync(user, v1.Id, withConfigs: true)))!;
        var report = BenchmarkExport.Build(view, "html", "dice").Text;
        Assert.Contains("<th>init</th>", report);      // config diff: scratch vs run: init
        Assert.Contains("<th>seed</th>", report);
        Assert.DoesNotContain("<th>steps</th>", report);

        // The page: grid of 6 done cells, the table with a bold best cell, plots.
        await using (var bunit = new BunitContext())
        {
            bunit.JSInterop.Mode = JSRuntimeMode.Loose;
            bunit.Services.AddMudServices();
            bunit.Services.AddSingleton(_ => factory.Services.CreateScope().ServiceProvider.GetRequiredService<BenchmarkService>());
            bunit.Services.AddSingleton(_ => factory.Services.GetRequiredService<ImportedWeights>());
            var auth = bunit.AddAuthorization();
            auth.SetAuthorized(user.Name);
            auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id),
                new System.Security.Claims.Claim(PortalUser.LabClaim, user.LabId));
            bunit.Render<MudBlazor.MudPopoverProvider>();
            var cut = bunit.Render<BenchmarkPage>(p => p.Add(x => x.Id, v1.Id));
            cut.WaitForElement("[data-testid=benchmark-table]", TimeSpan.FromSeconds(60)); // a loaded shared machine
            Assert.Contains("8 cells: 8 done, 0 running, 0 queued, 0 failed", cut.Find("[data-testid=benchmark-progress]").TextContent);
            Assert.Equal(8, cut.FindAll("[data-testid=benchmark-grid] a[data-state=Done]").Count);
            Assert.NotEmpty(cut.FindAll("[data-testid=benchmark-table] td.best"));
            Assert.Equal(2, cut.FindAll("[data-testid=benchmark-plots] svg").Count);
        }

        // The third seed runs only its 4 cells; a new version adding seed 4 shares all 12 and queues 4 more.
        Assert.Equal(new BenchmarkLaunch(4, 8), await WithAsync(factory, s => s.RunAsync(user, v1.Id, [pretrain.Id], scratch: true)));
        var v2 = await WithAsync(factory, s => s.SaveAsync(user, ProtocolJson("1, 2, 3, 4")));
        Assert.Equal(2, v2.Version);
        Assert.Equal(new BenchmarkLaunch(4, 12), await WithAsync(factory, s => s.RunAsync(user, v2.Id, [pretrain.Id], scratch: true)));
        var v2View = (await WithAsync(factory, s => s.ViewAsync(user, v2.Id)))!;
        Assert.Equal(16, v2View.Cells.Count);
        Assert.Equal(8, v2View.Count(GridState.Done));
        Assert.All(v2View.Cells.Where(c => c.Seed >= 3), c => Assert.NotEqual(GridState.Done, c.State));
        foreach (var c in v2View.Cells.Where(c => c.Seed >= 3))
            await RunTestHelpers.WithServiceAsync(factory, s => s.CancelAsync(user, c.RunId));
    }

    private static async Task<T> WithAsync<T>(PortalFactory factory, Func<BenchmarkService, Task<T>> action)
    {
        using var scope = factory.Services.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<BenchmarkService>());
    }
}
