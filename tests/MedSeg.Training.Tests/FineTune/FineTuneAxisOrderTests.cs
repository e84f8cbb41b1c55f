using MedSeg.Training.Checkpoints;
using MedSeg.Training.Fdsl;
using MedSeg.Training.FineTune;
using MedSeg.Training.Layout;
using MedSeg.Training.Networks;
using MedSeg.Training.Runs;
using MedSeg.Training.Tests.Support;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.FineTune;

/// <summary>Fine-tuning from weights converted from MONAI runs in MONAI's axis order unless told otherwise.</summary>
public class FineTuneAxisOrderTests
{
    [Fact]
    public void Imported_Safetensors_Init_Defaults_To_MonaiXyz_And_Its_Run_Refuses_Zyx()
    {
        using var tmp = new TempDirectory();
        var dataset = TinyPhantomDataset.Create(tmp.Path);
        // "Imported" MONAI weights: MONAI key names and a model description, but no recorded axis order.
        var args = new Dictionary<string, string> { ["in_channels"] = "1", ["out_channels"] = "6", ["features"] = "(4, 4, 8, 8, 16, 4)" };
        var imported = tmp.File("monai.safetensors");
        using (var source = ModelFactory.Create("BasicUNet", args)) ModelCheckpoint.Save(source, imported, "BasicUNet", args);
        Assert.Null(ModelCheckpoint.ReadAxisOrder(imported));

        var o = TinyPhantomDataset.Options(dataset, tmp.File("ft")).Build(steps: 3, init: "safetensors:" + imported);
        o.TorchThreads = null; // process-wide: would slow the tests running beside this one
        var result = new FineTuneTrainer(o).Run();
        Assert.Equal(RunStatus.Completed, result.Training.State);
        var run = new RunFolder(o.OutputDir);
        Assert.Contains("\"axisOrder\": \"MonaiXyz\"", File.ReadAllText(run.ConfigPath));
        Assert.Contains("\"axisOrder\": \"MonaiXyz\"", File.ReadAllText(Path.Combine(run.Root, "init.json")));
        var log = File.ReadAllText(Path.Combine(run.Root, "log.txt"));
        Assert.Contains("axis order: MonaiXyz", log);
        // Every lab member sees the log tail: no server paths; checkpoints run-relative, the init file beside the run as ../name.
        Assert.DoesNotContain(tmp.Path, log);
        Assert.Contains("evaluating 'checkpoints/", log);
        Assert.Contains("from '../monai.safetensors'", log);
        Assert.Contains("init: safetensors:../monai.safetensors", log);
        var best = result.Training.BestCheckpoint!;
        Assert.Equal(AxisOrder.MonaiXyz, CheckpointStore.ReadState(best).AxisOrder);
        Assert.Equal(AxisOrder.MonaiXyz, ModelCheckpoint.ReadAxisOrder(Path.Combine(best, CheckpointStore.WeightsFile)));
        Assert.NotNull(result.Evaluation);

        // Fine-tuning on from that run in the other order is refused before any training, with the reason in status.json.
        var next = TinyPhantomDataset.Options(dataset, tmp.File("ft2")).Build(steps: 3, init: "run:" + o.OutputDir);
        next.AxisOrder = AxisOrder.Zyx;
        next.TorchThreads = null;
        var e = Assert.Throws<TrainingException>(() => new FineTuneTrainer(next).Run());
        Assert.Contains("trained with MonaiXyz", e.Message);
        Assert.Contains("--axis-order", e.Message);
        var status = new RunFolder(next.OutputDir).ReadStatus()!;
        Assert.Equal(RunStatus.Failed, status.State);
    }
}
