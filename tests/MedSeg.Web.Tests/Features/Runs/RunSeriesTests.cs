using MedSeg.Web.Features.Runs;
using MedSeg.Web.Features.Runs.Components;

namespace MedSeg.Web.Tests.Features.Runs;

public sealed class RunSeriesTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static RunStepPoint Point(long step, double seconds, double loss = 1, double? dice = null, double?[]? perClass = null) =>
        new(step, T0.AddSeconds(seconds), loss, 1e-4, 2, 0.1, 1000, dice, perClass);

    [Fact]
    public void History_then_overlapping_live_steps_keeps_each_step_once()
    {
        var series = new RunSeries();
        series.AddRange(Enumerable.Range(1, 10).Select(i => Point(i, i)));

        series.AddRange(Enumerable.Range(8, 5).Select(i => Point(i, i))); // live batch 8..12 overlaps history 8..10

        Assert.Equal(Enumerable.Range(1, 12).Select(i => (double)i), series.Steps);
        Assert.Equal(11, series.Seconds[^1]);
    }

    [Fact]
    public void Resume_rewinding_to_a_checkpoint_replaces_the_steps_after_it()
    {
        var series = new RunSeries();
        series.AddRange(Enumerable.Range(1, 10).Select(i => Point(i, i, loss: 1, dice: i == 8 ? 0.5 : null)));

        series.Add(Point(6, 100, loss: 0.25)); // restarted from the step-5 checkpoint, later in time

        Assert.Equal([1, 2, 3, 4, 5, 6], series.Steps);
        Assert.Equal(0.25, series.Loss[^1]);
        Assert.Empty(series.ValidationDice);
    }

    [Fact]
    public void Validation_steps_feed_the_dice_curve_and_per_class_values()
    {
        var series = new RunSeries();
        series.Add(Point(1, 0));
        series.Add(Point(2, 1, dice: 0.4, perClass: [0.9, 0.4, null]));

        Assert.Equal([2.0], series.ValidationSteps);
        Assert.Equal([0.4], series.ValidationDice);
        Assert.Equal([0.9, 0.4, null], series.LastClassDice!);
    }
}
