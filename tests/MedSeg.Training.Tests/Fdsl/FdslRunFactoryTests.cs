using MedSeg.Core.Generators.AvsDb;
using MedSeg.Core.Nifti;
using MedSeg.Training.Checkpoints;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Networks;
using MedSeg.Training.Progress;
using MedSeg.Training.Runs;
using MedSeg.Training.Tests.Support;
using Xunit.Abstractions;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Fdsl;

/// <summary>End-to-end runs through the factory: real AVS-DB data, a real network from ModelFactory, NIfTI folders.</summary>
public class FdslRunFactoryTests(ITestOutputHelper output)
{
    private static FdslOptions Small(string dir) => new()
    {
        OutputDir = dir,
        Model = "BasicUNet",
        ModelArgs = { ["features"] = "(8, 8, 16, 16, 32, 8)" },
        Crop = 32,
        BatchSize = 2,
        LearningRate = 3e-3,
        Samples = 64,
        Steps = 250,
        WarmupSteps = 10,
        Device = "cpu",
        CheckpointEvery = 125,
        ValidationEvery = 125,
        ValidationSamples = 2,
        Seed = 3,
    };

    [Fact]
    public void OnTheFly_AvsDb_Run_Lowers_Dice_Loss_Clearly()
    {
        using var tmp = new TempDirectory();
        var o = Small(tmp.File("run"));
        var reports = new List<TrainingProgress>();
        // Two shape classes (ellipse, square prism) + background keep the run to a couple of minutes on CPU.
        var paper = AvsDbSpec.PaperBest(40);
        var spec = paper with { Xy = paper.Xy with { VertexCounts = [0, 4] }, ZClasses = [paper.ZClasses[0]] };
        o.Steps = 200;
        o.LearningRate = 1e-2;
        o.CheckpointEvery = 100;
        o.ValidationEvery = 100;
        var result = FdslRunFactory.FromSpec(o, spec).Run(new SyncProgress(reports.Add));

        double first = result.Losses.Take(20).Average(), last = result.Losses.TakeLast(20).Average();
        output.WriteLine($"BasicUNet 32³ batch 2, {result.Losses.Count} steps: first-20 mean Dice loss {first:F4}, last-20 {last:F4}; data-wait {result.DataWaitFraction:P1}; val Dice {reports[^1].ValidationMeanDice:F4}");
        Assert.Equal(RunStatus.Completed, result.State);
        Assert.True(last < first - 0.1, $"Dice loss did not drop clearly: {first:F4} → {last:F4}");
        Assert.Equal(3, reports.First(r => r.ValidationDice is not null).ValidationDice!.Count);

        // The best checkpoint's safetensors export rebuilds the network from its own metadata.
        var export = Path.Combine(o.OutputDir, "checkpoints", "best", CheckpointStore.WeightsFile);
        using var reloaded = ModelCheckpoint.Load(export, CheckpointStore.ExtraMetadataKeys);
        Assert.IsType<MedSeg.Training.Networks.Nets.BasicUNet>(reloaded);
        Assert.Equal("BasicUNet", MedSeg.Training.Weights.SafetensorsHeader.Read(export).Metadata["model"]);
    }

    [Fact]
    public void OnTheFly_AvsDb_SwinUnetr_F12_Lowers_Dice_Loss_Clearly()
    {
        // The issue's own setting: SwinUNETR feature size 12 on 32³ crops, a few hundred samples.
        using var tmp = new TempDirectory();
        var o = Small(tmp.File("run"));
        o.Model = "SwinUNETR"; o.FeatureSize = 12; o.ModelArgs.Clear();
        var paper = AvsDbSpec.PaperBest(40);
        var spec = paper with { Xy = paper.Xy with { VertexCounts = [0, 4] }, ZClasses = [paper.ZClasses[0]] };
        o.Steps = 120; o.WarmupSteps = 10; o.LearningRate = 2e-3;
        o.CheckpointEvery = 60; o.ValidationEvery = 0;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var result = FdslRunFactory.FromSpec(o, spec).Run();

        double first = result.Losses.Take(15).Average(), last = result.Losses.TakeLast(15).Average();
        output.WriteLine($"SwinUNETR f12 32³ batch 2, {result.Losses.Count} steps in {sw.Elapsed.TotalSeconds:F0} s: first-15 mean Dice loss {first:F4}, last-15 {last:F4}");
        Assert.Equal(120, result.Losses.Count);
        Assert.True(last < first - 0.1, $"Dice loss did not drop clearly: {first:F4} → {last:F4}");
    }

    [Fact]
    public void SwinUnetr_F12_Trains_Checkpoints_And_Resumes()
    {
        // SwinUNETR is several seconds per step on a shared CPU, so only a smoke run: build through
        // ModelFactory, train, checkpoint, resume to the end.
        using var tmp = new TempDirectory();
        var o = Small(tmp.File("run"));
        o.Model = "SwinUNETR"; o.FeatureSize = 12; o.ModelArgs.Clear();
        o.BatchSize = 1; o.Steps = 3; o.WarmupSteps = 1; o.CheckpointEvery = 2; o.ValidationEvery = 0;
        var paper = AvsDbSpec.PaperBest(32);
        var spec = paper with { Xy = paper.Xy with { VertexCounts = [0, 4] }, ZClasses = [paper.ZClasses[0]] };
        using var cts = new CancellationTokenSource();
        var first = FdslRunFactory.FromSpec(o, spec).Run(new SyncProgress(p => { if (p.Step == 2) cts.Cancel(); }), cts.Token);
        Assert.Equal(RunStatus.Interrupted, first.State);
        o.Resume = true;
        var second = FdslRunFactory.FromSpec(o, spec).Run();
        Assert.Equal(RunStatus.Completed, second.State);
        Assert.Single(second.Losses);
        Assert.All(first.Losses.Concat(second.Losses), l => Assert.InRange(l, 0.0, 1.0));
        Assert.Contains("SwinUNETR(feature_size=12, in_channels=1, out_channels=3)", File.ReadAllText(Path.Combine(o.OutputDir, "config.json")));
    }

    [Fact]
    public void Dataset_Folder_Run_Trains_From_Nifti()
    {
        using var tmp = new TempDirectory();
        var data = tmp.File("data");
        Directory.CreateDirectory(Path.Combine(data, "imagesTr"));
        Directory.CreateDirectory(Path.Combine(data, "labelsTr"));
        var blobs = new BlobSource(4, 20, 3);
        var entries = new List<string>();
        for (int i = 0; i < blobs.Count; i++)
        {
            var s = blobs.Load(i);
            NiftiWriter.Write(s.Image, Path.Combine(data, "imagesTr", $"b{i}_0000.nii.gz"));
            NiftiWriter.Write(s.Label, Path.Combine(data, "labelsTr", $"b{i}.nii.gz"));
            entries.Add($"{{\"image\": \"./imagesTr/b{i}_0000.nii.gz\", \"label\": \"./labelsTr/b{i}.nii.gz\"}}");
        }
        File.WriteAllText(Path.Combine(data, "dataset.json"),
            $"{{\"labels\": {{\"0\": \"background\", \"1\": \"a\", \"2\": \"b\"}}, \"training\": [{string.Join(",", entries)}]}}");

        var o = Small(tmp.File("run"));
        o.DatasetDir = data; o.Crop = 16; o.Steps = 6; o.WarmupSteps = 1; o.ValidationEvery = 3; o.ValidationSamples = 1; o.CheckpointEvery = 3;
        var reports = new List<TrainingProgress>();
        var result = FdslRunFactory.Create(o).Run(new SyncProgress(reports.Add));
        Assert.Equal(RunStatus.Completed, result.State);
        Assert.Equal(3, reports.First(r => r.ValidationDice is not null).ValidationDice!.Count);
        Assert.Contains("3 samples", File.ReadAllText(Path.Combine(o.OutputDir, "config.json"))); // one held out
    }

    [Fact]
    public void Missing_Dataset_Is_Named_And_Recorded_As_Failed()
    {
        using var tmp = new TempDirectory();
        var o = Small(tmp.File("run"));
        o.DatasetDir = tmp.File("nowhere");
        var e = Assert.Throws<TrainingException>(() => FdslRunFactory.Create(o));
        Assert.Contains("nowhere", e.Message);
        Assert.Contains("does not exist", e.Message);
        var status = new RunFolder(o.OutputDir).ReadStatus()!;
        Assert.Equal(RunStatus.Failed, status.State);
        Assert.Contains("does not exist", status.Error);
    }

    [Fact]
    public void Dataset_Json_Without_Training_Field_Names_The_Field()
    {
        using var tmp = new TempDirectory();
        Directory.CreateDirectory(tmp.File("d"));
        File.WriteAllText(Path.Combine(tmp.File("d"), "dataset.json"), "{\"labels\": {\"0\": \"background\"}}");
        var o = Small(tmp.File("run"));
        o.DatasetDir = tmp.File("d");
        var e = Assert.Throws<TrainingException>(() => FdslRunFactory.Create(o));
        Assert.Contains("field 'training'", e.Message);
    }

    [Fact]
    public void No_Data_Source_Says_What_To_Pass()
    {
        using var tmp = new TempDirectory();
        var e = Assert.Throws<TrainingException>(() => FdslRunFactory.Create(Small(tmp.File("run"))));
        Assert.Contains("--dataset", e.Message);
        Assert.Contains("--spec", e.Message);
    }
}
