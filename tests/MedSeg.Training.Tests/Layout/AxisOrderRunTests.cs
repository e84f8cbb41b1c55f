using System.Text.Json.Nodes;
using MedSeg.Training.Checkpoints;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Layout;
using MedSeg.Training.Networks;
using MedSeg.Training.Runs;
using MedSeg.Training.Tests.Support;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Layout;

/// <summary>
/// The axis order is recorded with a run and its checkpoints: new runs default to MonaiXyz, a resume follows its checkpoint
/// (old runs: Zyx), a resume in the other order is refused.
/// </summary>
public class AxisOrderRunTests
{
    [Fact]
    public void A_New_Run_Defaults_To_MonaiXyz_Records_It_And_Refuses_A_Zyx_Resume()
    {
        using var tmp = new TempDirectory();
        var o = TestRuns.Options(tmp.File("run"), steps: 4);
        o.CheckpointEvery = 2;
        Assert.Null(o.AxisOrder); // left at its default
        using var cts = new CancellationTokenSource();
        var first = TestRuns.Trainer(o).Run(new SyncProgress(p => { if (p.Step == 2) cts.Cancel(); }), cts.Token);
        Assert.Equal(RunStatus.Interrupted, first.State);

        var checkpoint = first.LastCheckpoint!;
        Assert.Equal(AxisOrder.MonaiXyz, CheckpointStore.ReadState(checkpoint).AxisOrder);
        Assert.Contains("\"axisOrder\": \"MonaiXyz\"", File.ReadAllText(Path.Combine(checkpoint, CheckpointStore.StateFile)));
        Assert.Equal(AxisOrder.MonaiXyz, ModelCheckpoint.ReadAxisOrder(Path.Combine(checkpoint, CheckpointStore.WeightsFile)));
        Assert.Contains("\"axisOrder\": \"MonaiXyz\"", File.ReadAllText(new RunFolder(o.OutputDir).ConfigPath));

        var zyx = TestRuns.Options(tmp.File("run"), steps: 4);
        zyx.CheckpointEvery = 2;
        zyx.Resume = true;
        zyx.AxisOrder = AxisOrder.Zyx;
        var e = Assert.Throws<TrainingException>(() => TestRuns.Trainer(zyx).Run());
        Assert.Contains("axis order MonaiXyz", e.Message);
        Assert.Contains("this run uses Zyx", e.Message);
        Assert.Contains("--axis-order monai-xyz or leave --axis-order out", e.Message);
        Assert.Equal(RunStatus.Failed, new RunFolder(o.OutputDir).ReadStatus()!.State);

        // Without the flag the resume follows the checkpoint.
        var resumed = TestRuns.Options(tmp.File("run"), steps: 4);
        resumed.CheckpointEvery = 2;
        resumed.Resume = true;
        var done = TestRuns.Trainer(resumed).Run();
        Assert.Equal(RunStatus.Completed, done.State);
        Assert.Equal(AxisOrder.MonaiXyz, CheckpointStore.ReadState(done.LastCheckpoint!).AxisOrder);
    }

    [Fact]
    public void Checkpoint_From_Before_The_Field_Resumes_As_Zyx()
    {
        using var tmp = new TempDirectory();
        var o = TestRuns.Options(tmp.File("run"), steps: 4);
        o.CheckpointEvery = 2;
        o.AxisOrder = AxisOrder.Zyx; // what every run trained in before the order was recorded
        using var cts = new CancellationTokenSource();
        var first = TestRuns.Trainer(o).Run(new SyncProgress(p => { if (p.Step == 2) cts.Cancel(); }), cts.Token);
        Assert.Equal(RunStatus.Interrupted, first.State);

        // Rewrite state.json as older versions wrote it: no axisOrder property.
        var statePath = Path.Combine(first.LastCheckpoint!, CheckpointStore.StateFile);
        var json = JsonNode.Parse(File.ReadAllText(statePath))!.AsObject();
        Assert.True(json.Remove("axisOrder"));
        File.WriteAllText(statePath, json.ToJsonString());
        var old = CheckpointStore.ReadState(first.LastCheckpoint!);
        Assert.Null(old.AxisOrder);
        Assert.Equal(AxisOrder.Zyx, old.EffectiveAxisOrder);

        // An old run resumes with default flags (and as an old config without the field reads: AxisOrder null) in Zyx.
        var resumed = TestRuns.Options(tmp.File("run"), steps: 4);
        resumed.CheckpointEvery = 2;
        resumed.Resume = true;
        Assert.Null(resumed.AxisOrder);
        var done = TestRuns.Trainer(resumed).Run();
        Assert.Equal(RunStatus.Completed, done.State);
        Assert.Equal(AxisOrder.Zyx, CheckpointStore.ReadState(done.LastCheckpoint!).AxisOrder);
        Assert.Equal(AxisOrder.Zyx, ModelCheckpoint.ReadAxisOrder(Path.Combine(done.LastCheckpoint!, CheckpointStore.WeightsFile)));
        Assert.Contains("\"axisOrder\": \"Zyx\"", File.ReadAllText(new RunFolder(o.OutputDir).ConfigPath));

        // And a MonaiXyz resume of that (Zyx) checkpoint is refused.
        var other = TestRuns.Options(tmp.File("run2"), steps: 4);
        Directory.CreateDirectory(Path.Combine(other.OutputDir, "checkpoints"));
        CopyDirectory(first.LastCheckpoint!, Path.Combine(other.OutputDir, "checkpoints", Path.GetFileName(first.LastCheckpoint!)));
        other.CheckpointEvery = 2;
        other.Resume = true;
        other.AxisOrder = AxisOrder.MonaiXyz;
        var e = Assert.Throws<TrainingException>(() => TestRuns.Trainer(other).Run());
        Assert.Contains("axis order Zyx", e.Message);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
