using System.Globalization;
using System.Text.Json;
using MedSeg.Core.Benchmarks;
using MedSeg.Training.FineTune;

namespace MedSeg.Cli.Tests.Commands;

/// <summary>
/// `medseg benchmark run` / `table` end to end on CPU with tiny sizes: a 2-step FDSL run and scratch, a SYNTHETIC
/// phantom (6 cases, split 4/1/1), budgets 1 and 2, seeds 1 and 2 first (8 cells), then the protocol's third seed
/// (4 new cells, the 8 finished ones untouched); the exports are checked against the cells' evaluation.json.
/// </summary>
public class BenchmarkCommandTests
{
    private const string Features = "features=(4, 4, 8, 8, 16, 4)";

    [Fact]
    public async Task Two_Methods_Two_Budgets_Two_Seeds_Then_The_Third_Seed_Runs_Only_Four_Cells()
    {
        using var tmp = new TempDirectory();
        await Ok("generate", "avsdb", "--out", tmp.File("avs"), "--count", "2", "--size", "32", "--seed", "1");
        await Ok("train", "fdsl", "--out", tmp.File("pre"), "--dataset", tmp.File("avs"), "--model", "BasicUNet", "--model-arg", Features,
            "--crop", "32", "--batch", "1", "--steps", "2", "--samples", "2", "--lr", "1e-3", "--device", "cpu", "--val-every", "0", "--checkpoint-every", "2");
        await Ok("generate", "phantom", "--out", tmp.File("raw"), "--count", "6", "--size", "64,64,24", "--seed", "2");
        await Ok("import", "msd", tmp.File("raw"), "--out", tmp.File("phantom"), "--val", "0.17", "--test", "0.17");
        File.WriteAllText(tmp.File("p.json"), """
            {
              "name": "tiny phantom", "version": 1, "datasets": ["phantom"], "budgets": [1, 2], "seeds": [1, 2, 3],
              "fineTune": { "model": "BasicUNet", "modelArgs": { "features": "(4, 4, 8, 8, 16, 4)" }, "patchSize": 32, "steps": 2,
                            "batchSize": 1, "learningRate": 0.001, "validationEvery": 0, "device": "cpu", "loaderWorkers": 1, "prefetch": 1 },
              "metrics": ["dice", "assd", "hd95", "dice_per_class"]
            }
            """);
        string[] run = ["benchmark", "run", "--protocol", tmp.File("p.json"), "--pretrained", $"scratch,{tmp.File("pre")}", "--out", tmp.File("bench")];

        var first = await Ok([.. run, "--seeds", "1,2"]);
        Assert.Contains("8 cells run, 0 already finished, 0 failed, 8 in the grid", first);
        var pending = await Ok("benchmark", "table", tmp.File("bench"));
        Assert.Contains("12 cells, 8 done, 0 running, 4 pending, 0 failed", pending);
        var finished = Directory.GetFiles(tmp.File("bench/cells"), "evaluation.json", SearchOption.AllDirectories)
            .ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.Equal(8, finished.Count);

        var again = await CliRun.InvokeAsync(run);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("--resume", again.Error);

        var third = await Ok([.. run, "--resume"]);
        Assert.Contains("4 cells run, 8 already finished, 0 failed, 12 in the grid", third);
        Assert.Equal(4, third.Split('\n').Count(l => l.StartsWith("cell ")));
        Assert.All(third.Split('\n').Where(l => l.StartsWith("cell ")), l => Assert.Contains("seed 3", l));
        Assert.All(finished, f => Assert.Equal(f.Value, File.GetLastWriteTimeUtc(f.Key)));
        var nothing = await Ok([.. run, "--resume"]);
        Assert.Contains("0 cells run, 12 already finished", nothing);

        // Label budget: the same drawn case for both methods at a seed, one of the 4 training cases.
        string TrainCases(string method, int budget, int seed) => string.Join(",", JsonDocument.Parse(File.ReadAllText(
            tmp.File($"bench/cells/{method}/phantom/budget-{budget}/seed-{seed}/config.json"))).RootElement.GetProperty("options").GetProperty("trainCases").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(TrainCases("scratch", 1, 3), TrainCases("pre", 1, 3));
        Assert.Single(TrainCases("pre", 1, 3).Split(','));
        Assert.Equal(2, TrainCases("pre", 2, 1).Split(',').Length);
        Assert.Contains("\"init\": \"run:", File.ReadAllText(tmp.File("bench/cells/pre/phantom/budget-2/seed-1/config.json")));

        // Tidy CSV: one row per cell, seed and metric; values are the cells' evaluation.json.
        var csv = (await Ok("benchmark", "table", tmp.File("bench"), "--csv")).TrimEnd('\n').Split('\n');
        Assert.Equal("method,dataset,budget,seed,metric,value", csv[0]);
        var rows = csv.Skip(1).Select(l => l.Split(',')).ToList();
        var dice = rows.Where(r => r[4] == "dice").ToList();
        Assert.Equal(12, dice.Count);
        Assert.Equal(12, rows.Count(r => r[4] == "assd"));
        Assert.Contains(rows, r => r[4] == "dice:liver");
        foreach (var r in dice)
        {
            var method = r[0] == "scratch" ? "scratch" : "pre";
            Assert.Contains(r[0], new[] { "scratch", "pre (fdsl)" });
            var e = FineTuneEvaluation.Read(tmp.File($"bench/cells/{method}/phantom/budget-{r[2]}/seed-{r[3]}"));
            Assert.Equal(e.MeanDice, double.Parse(r[5], CultureInfo.InvariantCulture));
        }

        // Summary CSV and LaTeX agree with mean ± sd of the tidy values.
        var summary = (await Ok("benchmark", "table", tmp.File("bench"), "--csv", "--summary")).TrimEnd('\n').Split('\n');
        Assert.Equal(5, summary.Length);
        var latex = await Ok("benchmark", "table", tmp.File("bench"), "--latex");
        Assert.Contains("\\toprule", latex);
        foreach (var line in summary.Skip(1).Select(l => l.Split(',')))
        {
            var values = dice.Where(r => r[0] == line[0] && r[2] == line[2]).Select(r => double.Parse(r[5], CultureInfo.InvariantCulture)).ToList();
            var (mean, sd, n) = BenchmarkTable.Summarise(values);
            Assert.Equal(3, n);
            Assert.Equal(mean, double.Parse(line[4], CultureInfo.InvariantCulture), 12);
            Assert.Equal(sd, double.Parse(line[5], CultureInfo.InvariantCulture), 12);
            var cell = $"{mean.ToString("F3", CultureInfo.InvariantCulture)} $\\pm$ {sd.ToString("F3", CultureInfo.InvariantCulture)}";
            Assert.Contains(latex.Split('\n'), l => l.StartsWith(line[0] + " &") && l.Contains(cell));
        }
        Assert.Contains("p_vs_scratch", summary[0]);

        await Ok("benchmark", "table", tmp.File("bench"), "--html", "--output", tmp.File("report.html"));
        var html = File.ReadAllText(tmp.File("report.html"));
        Assert.Contains("tiny phantom v1", html);
        Assert.Contains("<svg", html);
        Assert.Contains("options.init", html); // config diff: init differs between methods
    }

    [Fact]
    public async Task Bad_Protocol_Is_Refused_Naming_Fields_And_Leaves_No_Folder()
    {
        using var tmp = new TempDirectory();
        File.WriteAllText(tmp.File("p.json"), """{"name": "x", "datasets": ["nowhere"], "budgets": [0], "seeds": [1, 2], "fineTune": {"steps": 0}}""");
        var r = await CliRun.InvokeAsync("benchmark", "run", "--protocol", tmp.File("p.json"), "--pretrained", "scratch", "--out", tmp.File("bench"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("budget", r.Error);
        Assert.Contains("'0'", r.Error);
        Assert.False(Directory.Exists(tmp.File("bench")));

        File.WriteAllText(tmp.File("p.json"), """{"name": "x", "datasets": ["nowhere"], "budgets": [1], "seeds": [1, 2], "fineTune": {"steps": 0}, "metrics": ["iou"]}""");
        r = await CliRun.InvokeAsync("benchmark", "run", "--protocol", tmp.File("p.json"), "--pretrained", "scratch", "--out", tmp.File("bench"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Protocol.seeds must be 3 to 100 seeds", r.Error);
        Assert.Contains("Protocol.metrics must be one of", r.Error);
        Assert.Contains("'iou'", r.Error);
        Assert.Contains("Steps (--steps)", r.Error);

        File.WriteAllText(tmp.File("p.json"), """{"name": "x", "datasets": ["nowhere"], "budgets": [1], "seeds": [1, 2, 3]}""");
        r = await CliRun.InvokeAsync("benchmark", "run", "--protocol", tmp.File("p.json"), "--pretrained", "scratch", "--out", tmp.File("bench"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("split.json", r.Error);
        Assert.False(Directory.Exists(tmp.File("bench")));

        r = await CliRun.InvokeAsync("benchmark", "run", "--protocol", tmp.File("p.json"), "--pretrained", tmp.File("no-run"), "--out", tmp.File("bench"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no-run", r.Error);
        Assert.False(Directory.Exists(tmp.File("bench")));
    }

    private static async Task<string> Ok(params string[] args)
    {
        var run = await CliRun.InvokeAsync(args);
        Assert.True(run.ExitCode == 0, $"medseg {string.Join(' ', args)} failed ({run.ExitCode}):\n{run.Error}\n{run.Output}");
        return run.Output;
    }
}
