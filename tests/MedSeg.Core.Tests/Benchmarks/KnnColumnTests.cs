using MedSeg.Core.Benchmarks;

namespace MedSeg.Core.Tests.Benchmarks;

/// <summary>
/// The one-shot kNN column ("knn-N"): written and parsed as such but refused as a protocol budget, ordered after "all",
/// never a point of the learning curve, and carried through the table and every export with its note.
/// </summary>
public class KnnColumnTests
{
    [Fact]
    public void Knn_budget_is_a_column_after_all_and_never_a_protocol_budget()
    {
        var knn = LabelBudget.Knn(3);
        Assert.Equal("knn-3", knn.ToString());
        Assert.Equal(knn, LabelBudget.ParseColumn("knn-3"));
        Assert.Equal(new LabelBudget(2), LabelBudget.ParseColumn("2"));
        Assert.False(knn.IsAll);
        Assert.Throws<ArgumentException>(() => LabelBudget.Parse("knn-3"));
        Assert.Throws<ArgumentException>(() => LabelBudget.Knn(0));
        Assert.Throws<InvalidOperationException>(() => knn.Draw(["a", "b"], 1));
        Assert.Equal([new LabelBudget(1), new LabelBudget(4), LabelBudget.All, LabelBudget.Knn(1), LabelBudget.Knn(3)],
            new[] { LabelBudget.Knn(3), LabelBudget.All, new LabelBudget(4), LabelBudget.Knn(1), new LabelBudget(1) }.Order());
    }

    [Fact]
    public void Table_and_exports_carry_the_knn_column()
    {
        var cases = new Dictionary<string, double> { ["t1"] = 0.5 };
        var scores = new List<BenchmarkScore>
        {
            new("scratch", "phantom", new LabelBudget(2), 1, BenchmarkMetric.Dice, 0.5, cases),
            new("scratch", "phantom", new LabelBudget(2), 2, BenchmarkMetric.Dice, 0.7, cases),
            new("ctx (context)", "phantom", new LabelBudget(2), 1, BenchmarkMetric.Dice, 0.6, cases),
            new("ctx (context)", "phantom", LabelBudget.Knn(1), 0, BenchmarkMetric.Dice, 0.25, cases),
            new("ctx (context)", "phantom", LabelBudget.Knn(1), 1, BenchmarkMetric.Dice, 0.35, cases),
            new("fdsl (fdsl)", "phantom", LabelBudget.Knn(1), 0, BenchmarkMetric.Dice, 0.125, cases),
        };
        var table = BenchmarkTable.Build(scores, BenchmarkMetric.Dice);
        var knn = new BenchmarkColumn("phantom", LabelBudget.Knn(1));
        Assert.Equal([new BenchmarkColumn("phantom", new LabelBudget(2)), knn], table.Columns);
        var ctx = table.Cell("ctx (context)", knn)!;
        Assert.Equal(0.30, ctx.Mean, 12);
        Assert.Equal(Math.Sqrt(0.005), ctx.Sd, 12);
        Assert.True(ctx.Best);
        Assert.Null(ctx.VsBaseline); // scratch has no kNN cell: nothing to pair with
        Assert.Null(table.Cell("scratch", knn));

        Assert.Contains("ctx (context),phantom,knn-1,1,dice,0.35", BenchmarkCsv.Tidy(scores));
        Assert.Contains("fdsl (fdsl),phantom,knn-1,dice,0.125,NaN,1,,", BenchmarkCsv.Summary(table));
        var latex = BenchmarkLatex.Write(table);
        Assert.Contains("& 2 & knn-1", latex);
        Assert.Contains(BenchmarkFormat.KnnNote, latex);
        Assert.Contains(BenchmarkFormat.KnnNote, BenchmarkHtmlReport.Write("t", scores, [BenchmarkMetric.Dice]));
        var curve = BenchmarkSvg.LearningCurve(table, "phantom");
        Assert.DoesNotContain("knn-1", curve);
        Assert.Contains("knn-1", BenchmarkSvg.BarChart(table, "phantom"));
    }
}
