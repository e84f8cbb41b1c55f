using MedSeg.Data.Entities;
using MedSeg.Web.Features.Runs;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>The one mapping from a trainer's end to the run's status and event (local and cluster runs).</summary>
public sealed class RunEndingTests
{
    private static readonly RunEnding ServerStop = new(TrainingRunStatus.Queued, RunEventKinds.Interrupted, "server stopping");

    [Theory]
    [InlineData("boom", true, RunStopReason.Cancel, TrainingRunStatus.Failed, "boom")] // an error wins over everything
    [InlineData(null, true, RunStopReason.Pause, TrainingRunStatus.Completed, "Completed 7 steps (job 3)")] // finished before the pause took
    [InlineData(null, false, RunStopReason.Pause, TrainingRunStatus.Paused, "Paused at step 7")]
    [InlineData(null, false, RunStopReason.Cancel, TrainingRunStatus.Cancelled, "Cancelled at step 7")]
    [InlineData(null, false, RunStopReason.Shutdown, TrainingRunStatus.Queued, "server stopping")]
    [InlineData(null, false, RunStopReason.None, TrainingRunStatus.Queued, "server stopping")]
    public void Of_MapsEachOutcome(string? error, bool completed, RunStopReason reason, TrainingRunStatus status, string message)
    {
        var ending = RunEnding.Of(error, completed, reason, 7, ServerStop, " (job 3)");
        Assert.Equal(status, ending.Status);
        Assert.Equal(message, ending.Message);
        Assert.Equal(status switch
        {
            TrainingRunStatus.Failed => RunEventKinds.Failed,
            TrainingRunStatus.Completed => RunEventKinds.Completed,
            TrainingRunStatus.Paused => RunEventKinds.Paused,
            TrainingRunStatus.Cancelled => RunEventKinds.Cancelled,
            _ => RunEventKinds.Interrupted,
        }, ending.Kind);
    }

    [Theory]
    [InlineData(RunStopReason.None, null, RunStopReason.None)]
    [InlineData(RunStopReason.Shutdown, RunControlAction.Pause, RunStopReason.Pause)]
    [InlineData(RunStopReason.None, RunControlAction.Pause, RunStopReason.Pause)]
    [InlineData(RunStopReason.Cancel, RunControlAction.Pause, RunStopReason.Cancel)] // a pause never turns a cancel back
    [InlineData(RunStopReason.Pause, RunControlAction.Cancel, RunStopReason.Cancel)]
    [InlineData(RunStopReason.Shutdown, null, RunStopReason.Shutdown)]
    public void WithRequest_CancelOverPauseOverShutdown(RunStopReason reason, RunControlAction? requested, RunStopReason expected) =>
        Assert.Equal(expected, RunEnding.WithRequest(reason, requested));
}
