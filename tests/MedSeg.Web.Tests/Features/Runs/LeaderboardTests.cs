using MedSeg.Web.Features.Runs;

namespace MedSeg.Web.Tests.Features.Runs;

public sealed class LeaderboardTests
{
    private sealed record Run(string Name, double? Best, double? Loss);

    [Fact]
    public void Rank_ByDice_HighestFirstTiesShareRankUnscoredLeftOut()
    {
        Run[] runs = [new("a", 0.5, 0.3), new("b", 0.9, 0.2), new("c", null, 0.1), new("d", 0.5, 0.4), new("e", double.NaN, 0.5), new("f", 0.7, 0.6)];

        var ranked = Leaderboard.Rank(runs, r => r.Best, higherIsBetter: true);

        Assert.Equal(["b", "f", "a", "d"], ranked.Select(e => e.Run.Name));
        Assert.Equal([1, 2, 3, 3], ranked.Select(e => e.Rank));
    }

    [Fact]
    public void Rank_ByLoss_LowestFirst()
    {
        Run[] runs = [new("a", 0.5, 0.3), new("b", 0.9, 0.2), new("c", null, 0.1)];

        var ranked = Leaderboard.Rank(runs, r => r.Loss, Leaderboard.HigherIsBetter(LeaderboardMetric.LastLoss));

        Assert.Equal(["c", "b", "a"], ranked.Select(e => e.Run.Name));
    }
}
