using MedSeg.Core.Datasets.Msd;

namespace MedSeg.Core.Tests.Datasets.Msd;

public class DatasetSplitTests
{
    private static readonly string[] Ids = Enumerable.Range(0, 20).Select(i => $"case_{i:00}").ToArray();

    [Fact]
    public void SameSeed_SameSplit_InputOrderIrrelevant()
    {
        var a = DatasetSplit.Create(Ids, new SplitOptions { Seed = 42, ValidationFraction = 0.2, TestFraction = 0.1 });
        var b = DatasetSplit.Create(Ids.Reverse().ToArray(), new SplitOptions { Seed = 42, ValidationFraction = 0.2, TestFraction = 0.1 });

        Assert.Equal(a.Train, b.Train);
        Assert.Equal(a.Val, b.Val);
        Assert.Equal(a.Test, b.Test);
        Assert.Equal((14, 4, 2), (a.Train.Count, a.Val.Count, a.Test.Count));
        Assert.Equal(Ids, a.Train.Concat(a.Val).Concat(a.Test).Order());
    }

    [Fact]
    public void DifferentSeeds_DifferentValidationSets()
    {
        var sets = Enumerable.Range(0, 5).Select(s => string.Join(",", DatasetSplit.Create(Ids, new SplitOptions { Seed = s }).Val)).ToHashSet();
        Assert.True(sets.Count >= 4, string.Join(" | ", sets));
    }

    [Fact]
    public void FixedSeed_GivesThePinnedSplit()
    {
        // Pinned so a change of generator or rounding shows up: split.json files must stay reproducible.
        var split = DatasetSplit.Create(Ids, new SplitOptions { Seed = 1, ValidationFraction = 0.2 });
        Assert.Equal(["case_01", "case_03", "case_10", "case_14"], split.Val);
    }

    [Fact]
    public void ExplicitLists_RestTrains()
    {
        var split = DatasetSplit.Create(Ids, new SplitOptions { Validation = ["case_03", "case_01"], Test = ["case_19"] });
        Assert.Equal(["case_01", "case_03"], split.Val);
        Assert.Equal(["case_19"], split.Test);
        Assert.Equal(17, split.Train.Count);
        Assert.Null(split.Seed);
    }

    [Fact]
    public void BadInput_Rejected()
    {
        Assert.Contains("not in the dataset", Assert.Throws<ArgumentException>(() => DatasetSplit.Create(Ids, new SplitOptions { Validation = ["x"] })).Message);
        Assert.Contains("more than once", Assert.Throws<ArgumentException>(() => DatasetSplit.Create(Ids, new SplitOptions { Validation = ["case_01"], Test = ["case_01"] })).Message);
        Assert.Throws<ArgumentException>(() => DatasetSplit.Create(Ids, new SplitOptions { ValidationFraction = 0.6, TestFraction = 0.4 }));
        Assert.Throws<ArgumentException>(() => DatasetSplit.Create(Ids, new SplitOptions { ValidationFraction = -0.1 }));
    }

    [Fact]
    public void JsonRoundTrip()
    {
        var split = DatasetSplit.Create(Ids, new SplitOptions { Seed = 9 });
        string json = split.ToJson();
        Assert.Contains("\"train\"", json);
        Assert.Contains("\"seed\": 9", json);
        var back = DatasetSplit.FromJson(json);
        Assert.Equal(split.Val, back.Val);
        Assert.Equal(9, back.Seed);
    }
}
