using MedSeg.Core.Benchmarks;

namespace MedSeg.Core.Tests.Benchmarks;

/// <summary>Aggregation, best cell, paired test and the exports on hand-made results.</summary>
public class BenchmarkTableTests
{
    private static readonly LabelBudget Two = new(2);

    /// <summary>Per-case Dice for a cell: 4 test cases, value = base + offset per case.</summary>
    private static BenchmarkScore Dice(string method, LabelBudget budget, long seed, double value, double[]? cases = null) =>
        new(method, "phantom", budget, seed, BenchmarkMetric.Dice, value,
            cases?.Select((v, i) => (Id: $"case{i}", v)).ToDictionary(c => c.Id, c => c.v));

    // Per-case Dice: scratch 0.5 on every case; fdsl 0.5 + k/64 (exact in binary, so ties are ties as for scipy).
    private static readonly double[] Flat = [0.5, 0.5, 0.5, 0.5];
    private static double[] Plus(params int[] sixtyFourths) => sixtyFourths.Select(k => 0.5 + k / 64.0).ToArray();

    private static List<BenchmarkScore> HandMade() =>
    [
        Dice("scratch", Two, 1, 0.50, Flat),
        Dice("scratch", Two, 2, 0.60, Flat),
        Dice("scratch", Two, 3, 0.70, Flat),
        Dice("fdsl", Two, 1, 0.62, Plus(8, 7, 8, 9)),
        Dice("fdsl", Two, 2, 0.66, Plus(5, 2, 3, 6)),
        Dice("fdsl", Two, 3, 0.80, Plus(10, 11, 10, 12)),
        Dice("scratch", LabelBudget.All, 1, 0.80),
        Dice("fdsl", LabelBudget.All, 1, 0.79),
        Dice("fdsl", LabelBudget.All, 2, double.NaN),
    ];

    [Fact]
    public void Mean_Sd_N_And_Best_Are_As_Computed_By_Hand()
    {
        var t = BenchmarkTable.Build(HandMade(), BenchmarkMetric.Dice);
        Assert.Equal(["scratch", "fdsl"], t.Methods);
        Assert.Equal([new BenchmarkColumn("phantom", Two), new BenchmarkColumn("phantom", LabelBudget.All)], t.Columns);

        var scratch = t.Cell("scratch", t.Columns[0])!;
        Assert.Equal(0.60, scratch.Mean, 12);
        Assert.Equal(0.10, scratch.Sd, 12);          // √(((−0.1)² + 0 + 0.1²)/2)
        Assert.Equal(3, scratch.N);
        var fdsl = t.Cell("fdsl", t.Columns[0])!;
        Assert.Equal(0.69333333333333333, fdsl.Mean, 12); // (0.62 + 0.66 + 0.80)/3
        Assert.Equal(0.09451631252505215, fdsl.Sd, 12);   // √((0.0733…² + 0.0333…² + 0.1066…²)/2)
        Assert.True(fdsl.Best);
        Assert.False(scratch.Best);

        // "all": scratch alone wins; fdsl's NaN seed is left out (n = 1, no sd).
        var all = t.Cell("fdsl", t.Columns[1])!;
        Assert.Equal(1, all.N);
        Assert.True(double.IsNaN(all.Sd));
        Assert.True(t.Cell("scratch", t.Columns[1])!.Best);
        Assert.Equal("0.790", BenchmarkFormat.MeanSd(all));
    }

    [Fact]
    public void Paired_Test_Runs_Over_Cases_Times_Seeds()
    {
        var t = BenchmarkTable.Build(HandMade(), BenchmarkMetric.Dice);
        var fdsl = t.Cell("fdsl", t.Columns[0])!;
        Assert.Null(t.Cell("scratch", t.Columns[0])!.VsBaseline);
        // By hand: 12 pairs (4 cases × 3 seeds), all favour fdsl → T = 0; |d| (64ths) 8,7,8,9,5,2,3,6,10,11,10,12 has two tie
        // groups → normal approximation (as scipy): mean 39, var 12·13·25/24 − 2·(2³ − 2)/48 = 162.25, z = −39/√162.25.
        Assert.Equal(12, fdsl.VsBaseline!.Test.Pairs);
        Assert.Equal(0, fdsl.VsBaseline.Test.Statistic);
        Assert.False(fdsl.VsBaseline.Test.Exact);
        Assert.Equal(0.00220034052690649, fdsl.VsBaseline.PValue!.Value, 9);
        Assert.StartsWith("p=0.00", BenchmarkFormat.Test(fdsl));
        Assert.Contains("(n=12)", BenchmarkFormat.Test(fdsl));

        // Without per-case values the pairs are the seeds: 1 pair here → marked, no p.
        var all = t.Cell("fdsl", t.Columns[1])!;
        Assert.True(all.VsBaseline!.TooFewPairs);
        Assert.Null(all.VsBaseline.PValue);
        Assert.Equal("n=1, too few", BenchmarkFormat.Test(all));
    }

    [Fact]
    public void Distances_Are_Best_When_Lowest_And_Infinity_Stays_In_The_Mean()
    {
        var scores = new List<BenchmarkScore>
        {
            new("scratch", "d", Two, 1, BenchmarkMetric.Assd, 2.0), new("scratch", "d", Two, 2, BenchmarkMetric.Assd, 4.0),
            new("a", "d", Two, 1, BenchmarkMetric.Assd, 1.0), new("a", "d", Two, 2, BenchmarkMetric.Assd, 1.5),
            new("b", "d", Two, 1, BenchmarkMetric.Assd, double.PositiveInfinity), new("b", "d", Two, 2, BenchmarkMetric.Assd, 0.1),
        };
        var t = BenchmarkTable.Build(scores, BenchmarkMetric.Assd);
        var c = t.Columns.Single();
        Assert.True(t.Cell("a", c)!.Best);
        Assert.True(double.IsPositiveInfinity(t.Cell("b", c)!.Mean));
        Assert.Equal("∞", BenchmarkFormat.MeanSd(t.Cell("b", c)!));
        Assert.Equal("1.25 ± 0.35", BenchmarkFormat.MeanSd(t.Cell("a", c)!));
        Assert.Equal(1, t.Cell("b", c)!.VsBaseline!.Test.Pairs); // the inf pair is dropped from the test
    }

    [Fact]
    public void Tied_Best_Cells_Are_Both_Bold_And_No_Baseline_Means_No_Test()
    {
        var scores = new List<BenchmarkScore> { Dice("a", Two, 1, 0.5), Dice("b", Two, 1, 0.5) };
        var t = BenchmarkTable.Build(scores, BenchmarkMetric.Dice);
        Assert.Null(t.Baseline);
        Assert.All(t.Cells, c => { Assert.True(c.Best); Assert.Null(c.VsBaseline); });
        Assert.Empty(BenchmarkTable.Build([], BenchmarkMetric.Dice).Columns);
    }

    [Fact]
    public void Tidy_Csv_Has_One_Row_Per_Cell_Seed_And_Metric()
    {
        var scores = HandMade();
        scores.Add(new BenchmarkScore("a, \"quoted\"", "phantom", Two, 1, BenchmarkMetric.Assd, double.PositiveInfinity));
        var lines = BenchmarkCsv.Tidy(scores).TrimEnd('\n').Split('\n');
        Assert.Equal("method,dataset,budget,seed,metric,value", lines[0]);
        Assert.Equal(scores.Count + 1, lines.Length);
        Assert.Contains("\"a, \"\"quoted\"\"\",phantom,2,1,assd,inf", lines);
        Assert.Contains("fdsl,phantom,all,2,dice,NaN", lines);
        Assert.Contains("scratch,phantom,2,3,dice,0.7", lines);
    }

    [Fact]
    public void Summary_Csv_Matches_The_Table()
    {
        var t = BenchmarkTable.Build(HandMade(), BenchmarkMetric.Dice);
        var lines = BenchmarkCsv.Summary(t).TrimEnd('\n').Split('\n');
        Assert.Equal("method,dataset,budget,metric,mean,sd,n,pairs,p_vs_scratch", lines[0]);
        Assert.Equal(5, lines.Length); // 2 methods × 2 budgets
        var fdsl = lines.Single(l => l.StartsWith("fdsl,phantom,2,")).Split(',');
        var cell = t.Cell("fdsl", t.Columns[0])!;
        Assert.Equal(cell.Mean, double.Parse(fdsl[4], System.Globalization.CultureInfo.InvariantCulture), 15);
        Assert.Equal(cell.Sd, double.Parse(fdsl[5], System.Globalization.CultureInfo.InvariantCulture), 15);
        Assert.Equal("3", fdsl[6]);
        Assert.Equal("12", fdsl[7]);
        Assert.Equal(cell.VsBaseline!.PValue!.Value, double.Parse(fdsl[8], System.Globalization.CultureInfo.InvariantCulture), 15);
        Assert.EndsWith(",1,1,", lines.Single(l => l.StartsWith("fdsl,phantom,all,"))); // n=1, 1 pair, too few → no p
        Assert.EndsWith(",3,,", lines.Single(l => l.StartsWith("scratch,phantom,2,")));
    }

    [Fact]
    public void Latex_Is_Booktabs_With_Bold_Best_And_The_Test_Marked()
    {
        var t = BenchmarkTable.Build(HandMade(), BenchmarkMetric.Dice);
        var tex = BenchmarkLatex.Write(t, "Fine-tuning on phantom_1");
        Assert.Contains("\\toprule", tex);
        Assert.Contains("\\midrule", tex);
        Assert.Contains("\\bottomrule", tex);
        Assert.Contains("\\caption{Fine-tuning on phantom\\_1}", tex);
        Assert.Contains("\\multicolumn{2}{c}{phantom}", tex);
        var fdsl = tex.Split('\n').Single(l => l.StartsWith("fdsl &"));
        Assert.Equal("fdsl & \\textbf{0.693 $\\pm$ 0.095}$^{\\dagger}$ & 0.790$^{\\cdot}$ \\\\", fdsl);
        var scratch = tex.Split('\n').Single(l => l.StartsWith("scratch &"));
        Assert.Equal("scratch & 0.600 $\\pm$ 0.100 & \\textbf{0.800} \\\\", scratch);
    }

    [Fact]
    public void Html_Report_Is_Self_Contained_With_Table_Plots_And_Config_Diff()
    {
        var runs = new[]
        {
            new ReportRun("scratch/phantom/2/1", ConfigDiff.Flatten("""{"options":{"init":"scratch","seed":1,"lr":0.001},"trainCases":["a","b"]}""")),
            new ReportRun("fdsl/phantom/2/1", ConfigDiff.Flatten("""{"options":{"init":"run:x","seed":1,"lr":0.001},"trainCases":["a","b"]}""")),
        };
        var html = BenchmarkHtmlReport.Write("Protocol <p1>", HandMade(), [BenchmarkMetric.Dice], "{\"name\":\"p1\"}", runs);
        Assert.Contains("&lt;p1&gt;", html);
        Assert.Equal(2, CountOf(html, "<svg "));      // learning curve + bar chart for the one dataset
        Assert.Contains("class=\"band\"", html);       // seed spread band
        Assert.Contains("class=\"error\"", html);      // error bars
        Assert.Contains("<td class=\"best\">0.693 ± 0.095", html);
        Assert.Contains("<th>options.init</th>", html);
        Assert.DoesNotContain("<th>options.lr</th>", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("href=", html);
        Assert.DoesNotContain("src=", html);
    }

    private static int CountOf(string s, string part)
    {
        int n = 0;
        for (int i = s.IndexOf(part, StringComparison.Ordinal); i >= 0; i = s.IndexOf(part, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
