using MedSeg.Testing;
using MedSeg.Data.Entities;
using MedSeg.Training.FineTune;
using MedSeg.Web.Features.Downstream;

namespace MedSeg.Web.Tests.Features.Downstream;

public sealed class DownstreamLeaderboardTests
{
    private static readonly Dictionary<string, string> Names = new() { ["runs/7"] = "fdsl-big" };

    [Theory]
    [InlineData("scratch", false, "scratch")]
    [InlineData("run:runs/7", false, "fdsl-big")]
    [InlineData("run:runs/7/", true, "fdsl-big (encoder)")]
    [InlineData("run:runs/99", false, "runs/99")]
    [InlineData("safetensors:/w/ssl_swin.safetensors", true, "ssl_swin.safetensors (encoder)")]
    public void InitLabel_NamesTheSource(string init, bool encoderOnly, string expected) =>
        Assert.Equal(expected, DownstreamLeaderboard.InitLabel(init, encoderOnly, Names));

    [Fact]
    public void ToRow_ReadsEvaluationJson_DropsBackground_KeepsNaN()
    {
        var evaluation = new FineTuneEvaluation("test", "scratch", false, "BasicUNet", "checkpoints/best/model.safetensors", 6, [],
            [new ClassScore(0, "background", 0.99, 0.1, 0.2), new ClassScore(1, "liver", 0.8, 1.5, 3), new ClassScore(2, "spleen", double.NaN, double.NaN, double.NaN)],
            0.8, 1.5, 3);
        using var tmp = new TempDirectory();
        var file = Path.Combine(tmp.Path, FineTuneEvaluation.FileName);
        File.WriteAllText(file, evaluation.ToJson());

        var row = DownstreamLeaderboard.ToRow(new TrainingRun { Id = 3, Name = "ft" }, FineTuneEvaluation.Read(file), "scratch");

        Assert.Equal([1, 2], row.Dice.Keys.Order());
        Assert.Equal(0.8, row.Dice[1]);
        Assert.True(double.IsNaN(row.Dice[2]));
        Assert.Equal((3, 0.8, 1.5, "test"), (row.RunId, row.MeanDice, row.MeanAssd, row.Split));
    }
}
