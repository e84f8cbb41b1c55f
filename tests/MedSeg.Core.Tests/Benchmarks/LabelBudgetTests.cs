using MedSeg.Core.Benchmarks;

namespace MedSeg.Core.Tests.Benchmarks;

public class LabelBudgetTests
{
    private static readonly string[] Train = ["c07", "c01", "c03", "c04", "c02", "c05", "c06", "c08"];

    [Fact]
    public void Draw_Is_A_Function_Of_Seed_Sorted_And_Nested()
    {
        var a = new LabelBudget(3).Draw(Train, 1);
        Assert.Equal(a, new LabelBudget(3).Draw(Train.Reverse().ToArray(), 1)); // input order does not matter
        Assert.Equal(a.Order(StringComparer.Ordinal), a);
        Assert.Equal(3, a.Count);
        var draws = Enumerable.Range(1, 6).Select(s => string.Join(",", new LabelBudget(3).Draw(Train, s))).Distinct().Count();
        Assert.True(draws > 1, "different seeds draw different cases");
        for (int k = 1; k < Train.Length; k++)
            Assert.Subset(new LabelBudget(k + 1).Draw(Train, 7).ToHashSet(), new LabelBudget(k).Draw(Train, 7).ToHashSet());
        Assert.Equal(Train.Order(StringComparer.Ordinal), LabelBudget.All.Draw(Train, 5));
    }

    [Fact]
    public void Parse_And_Limits()
    {
        Assert.Equal(LabelBudget.All, LabelBudget.Parse("ALL"));
        Assert.Equal(new LabelBudget(4), LabelBudget.Parse("4"));
        var e = Assert.Throws<ArgumentException>(() => LabelBudget.Parse("0", "budgets[1]"));
        Assert.Contains("budgets[1]", e.Message);
        Assert.Contains("'0'", e.Message);
        Assert.Contains("100000", e.Message);
        var more = Assert.Throws<ArgumentException>(() => new LabelBudget(9).Draw(Train, 1));
        Assert.Contains("(8)", more.Message);
        Assert.True(new LabelBudget(100).CompareTo(LabelBudget.All) < 0);
    }
}
