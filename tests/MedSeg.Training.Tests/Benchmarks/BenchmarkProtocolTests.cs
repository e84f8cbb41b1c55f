using MedSeg.Core.Benchmarks;
using MedSeg.Core.Datasets.Msd;
using MedSeg.Training.Benchmarks;

namespace MedSeg.Training.Tests.Benchmarks;

/// <summary>Protocol rules and JSON, the cell plan (budget draws shared across methods) and the folder manifest's merge.</summary>
public sealed class BenchmarkProtocolTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("medseg-protocol-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Dataset(string name, int train)
    {
        var dir = Path.Combine(_dir, name);
        Directory.CreateDirectory(dir);
        var ids = Enumerable.Range(0, train).Select(i => $"case_{i:D3}").ToList();
        File.WriteAllText(Path.Combine(dir, DatasetSplit.FileName), new DatasetSplit(1, ids, ["val_0"], ["test_0"]).ToJson());
        return dir;
    }

    [Fact]
    public void Json_Round_Trips_With_All_And_Defaults()
    {
        var p = BenchmarkProtocol.FromJson("""{"name": "p", "datasets": ["a"], "budgets": [1, 4, "all"], "seeds": [1, 2, 3], "fineTune": {"steps": 5}}""");
        Assert.Equal([new LabelBudget(1), new LabelBudget(4), LabelBudget.All], p.Budgets);
        Assert.Equal(5, p.FineTune.Steps);
        Assert.Equal(["dice", "assd", "hd95"], p.Metrics);
        var again = BenchmarkProtocol.FromJson(p.ToJson());
        Assert.Equal(p.ToJson(), again.ToJson());
        Assert.Contains("\"all\"", p.ToJson());
    }

    [Fact]
    public void Problems_Name_Field_Value_And_Limit()
    {
        var p = new BenchmarkProtocol { Name = "bad/name", Version = 0, Datasets = [], Seeds = [1, 1, 2], Metrics = ["iou"] };
        p.FineTune.LearningRate = -1;
        var problems = p.Problems();
        Assert.Contains(problems, m => m.Contains("Protocol.name") && m.Contains("'bad/name'"));
        Assert.Contains(problems, m => m.Contains("Protocol.version") && m.Contains("1000000"));
        Assert.Contains(problems, m => m.Contains("Protocol.datasets") && m.Contains("1 to 20"));
        Assert.Contains(problems, m => m.Contains("Protocol.seeds must be distinct"));
        Assert.Contains(problems, m => m.Contains("'iou'"));
        Assert.Contains(problems, m => m.Contains("Protocol.fineTune") && m.Contains("LearningRate"));
        var json = Assert.Throws<ArgumentException>(() => BenchmarkProtocol.FromJson("""{"name": "p", "budgets": [0]}""", "p.json"));
        Assert.Contains("p.json", json.Message);
        Assert.Contains("'0'", json.Message);
        var unknown = Assert.Throws<ArgumentException>(() => BenchmarkProtocol.FromJson("""{"name": "p", "fineTune": {"stepz": 1}}"""));
        Assert.Contains("stepz", unknown.Message);
    }

    [Fact]
    public void Plan_Shares_The_Budget_Draw_Across_Methods_And_Checks_Budgets_Against_The_Split()
    {
        var p = new BenchmarkProtocol { Name = "p", Datasets = [Dataset("ds", 5)], Budgets = [new(2), LabelBudget.All], Seeds = [1, 2, 3] };
        var methods = new[] { new BenchmarkMethod("scratch", "scratch", "scratch"), new BenchmarkMethod("pre", "pre (fdsl)", "run:/x") };
        p.FineTune.EncoderOnly = true;
        var cells = BenchmarkPlan.Cells(p, methods, k => Path.Combine(_dir, k.RelativeFolder));
        Assert.Equal(2 * 2 * 3, cells.Count);
        foreach (var group in cells.GroupBy(c => (c.Key.Budget, c.Key.Seed)))
            Assert.Single(group.Select(c => string.Join(",", c.Options.TrainCases ?? ["all"])).Distinct());
        Assert.All(cells.Where(c => c.Key.Budget.IsAll), c => Assert.Null(c.Options.TrainCases));
        Assert.All(cells.Where(c => c.Key.Method == "scratch"), c => Assert.False(c.Options.EncoderOnly));
        Assert.All(cells.Where(c => c.Key.Method == "pre"), c => Assert.True(c.Options.EncoderOnly));
        Assert.Equal(Path.Combine(_dir, "cells/pre/ds/budget-2/seed-3"), cells.Single(c => c.Key == new BenchmarkCellKey("pre", "ds", new(2), 3)).Options.OutputDir);

        p.Budgets = [new(6)];
        var e = Assert.Throws<ArgumentException>(() => BenchmarkPlan.Cells(p, methods, _ => "x"));
        Assert.Contains("6 labelled cases is more than the 5 training cases", e.Message);
    }

    [Fact]
    public void Manifest_Merge_Adds_Seeds_And_Methods_But_Refuses_A_New_Recipe()
    {
        var ds = Dataset("ds", 3);
        var p = new BenchmarkProtocol { Name = "p", Datasets = [ds], Budgets = [new(1)], Seeds = [1, 2, 3] };
        var scratch = new BenchmarkMethod("scratch", "scratch", "scratch");
        var manifest = new BenchmarkManifest(p, [scratch]);
        manifest.Write(_dir);
        var read = BenchmarkManifest.TryRead(_dir)!;

        var more = BenchmarkProtocol.FromJson(p.ToJson());
        more.Seeds = [2, 3, 4];
        var merged = read.Merge(more, [scratch, new BenchmarkMethod("pre", "pre", "run:/pre")], _dir);
        Assert.Equal([1L, 2, 3, 4], merged.Protocol.Seeds);
        Assert.Equal(["scratch", "pre"], merged.Methods.Select(m => m.Key));

        var other = BenchmarkProtocol.FromJson(p.ToJson());
        other.FineTune.Steps = 7;
        Assert.Contains("another fine-tune recipe", Assert.Throws<ArgumentException>(() => read.Merge(other, [scratch], _dir)).Message);
        Assert.Contains("already used", Assert.Throws<ArgumentException>(() => read.Merge(p, [new BenchmarkMethod("scratch", "x", "run:/y")], _dir)).Message);
    }
}
