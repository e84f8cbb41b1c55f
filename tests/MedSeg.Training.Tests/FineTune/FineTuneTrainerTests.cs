using MedSeg.Core.Nifti;
using MedSeg.Training.FineTune;
using MedSeg.Training.Progress;
using MedSeg.Training.Runs;
using MedSeg.Training.Tests.Support;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.FineTune;

public class FineTuneTrainerTests
{
    private sealed class Inline(Action<TrainingProgress> a) : IProgress<TrainingProgress> { public void Report(TrainingProgress p) => a(p); }

    [Fact]
    public void Scratch_Run_Validates_Checkpoints_And_Evaluates_On_The_Test_Case()
    {
        using var tmp = new TempDirectory();
        var dataset = TinyPhantomDataset.Create(tmp.Path);
        var o = TinyPhantomDataset.Options(dataset, tmp.File("run")).Build(steps: 6);
        o.TorchThreads = null; // process-wide: would slow the tests running beside this one (not in the serial collection)
        var reports = new List<TrainingProgress>();
        var result = new FineTuneTrainer(o).Run(new Inline(reports.Add));

        Assert.Equal(RunStatus.Completed, result.Training.State);
        Assert.Null(result.Init);
        Assert.Equal(6, reports.Count);
        Assert.Equal(new long[] { 3, 6 }, reports.Where(r => r.ValidationDice is not null).Select(r => r.Step));
        Assert.All(reports.Where(r => r.ValidationDice is not null), r => Assert.Equal(6, r.ValidationDice!.Count));
        var run = new RunFolder(o.OutputDir);
        Assert.Equal(RunStatus.Completed, run.ReadStatus()!.State);
        Assert.True(File.Exists(Path.Combine(run.CheckpointsDir, "best", "model.safetensors")));
        Assert.Contains("\"runType\": \"finetune\"", File.ReadAllText(run.ConfigPath));
        Assert.Contains("\"targetSpacing\"", File.ReadAllText(run.ConfigPath)); // preprocessing recorded

        var e = FineTuneEvaluation.Read(o.OutputDir);
        Assert.Equal("test", e.Split);
        var c = Assert.Single(e.Cases);
        Assert.Equal("phantom_005", c.Case);
        Assert.Equal(5, c.Classes.Count);
        Assert.All(c.Classes, s => Assert.InRange(s.Dice, 0, 1)); // every organ is present in the phantom: finite Dice
        var prediction = NiftiReader.Read(Path.Combine(o.OutputDir, c.Prediction));
        var image = NiftiReader.Read(Path.Combine(dataset, "imagesTr", "phantom_005_0000.nii.gz"));
        Assert.Equal(image.Affine, prediction.Affine);
        Assert.Equal((image.SizeX, image.SizeY, image.SizeZ), (prediction.SizeX, prediction.SizeY, prediction.SizeZ));
    }

    [Fact]
    public void Dataset_Without_Split_Fails_With_Status_And_Hint()
    {
        using var tmp = new TempDirectory();
        var dataset = TinyPhantomDataset.Create(tmp.Path);
        File.Delete(Path.Combine(dataset, "split.json"));
        var o = TinyPhantomDataset.Options(dataset, tmp.File("run")).Build();
        var e = Assert.Throws<MedSeg.Training.Fdsl.TrainingException>(() => new FineTuneTrainer(o).Run());
        Assert.Contains("split.json", e.Message);
        Assert.Contains("medseg import msd", e.Message);
        Assert.Equal(RunStatus.Failed, new RunFolder(o.OutputDir).ReadStatus()!.State);
    }
}
