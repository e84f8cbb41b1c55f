using MedSeg.Core.Nifti;
using MedSeg.Training.Checkpoints;
using MedSeg.Training.Methods;
using MedSeg.Training.Methods.Lwi;
using MedSeg.Training.Methods.SwinSsl;
using MedSeg.Training.Progress;
using MedSeg.Training.Runs;
using MedSeg.Training.Tests.Support;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Methods;

/// <summary>
/// The portal's pretext previews through the methods (<see cref="IPretextPreview"/>): the run's own first sample with its
/// label map and caption, and the reconstruction from a real checkpoint of a tiny run. Serial: runs seed libtorch's global generator.
/// </summary>
[Collection(SerialCollection.Name)]
public class PretextPreviewTests
{
    [Fact]
    public void Lwi_Preview_Is_The_Runs_First_Sample_Its_Slot_Map_And_The_Checkpoints_Reconstruction()
    {
        using var tmp = new TempDirectory();
        var data = PretextRunTests.WriteDataset(tmp.File("data"), 3, 32);
        var o = new LwiOptions
        {
            OutputDir = tmp.File("run"), DatasetDir = data, Crop = 32, Chunks = 2, FeatureSize = 4, BatchSize = 2, Steps = 2,
            CheckpointEvery = 2, IntensityWindow = "none", Device = "cpu", TorchThreads = 1, Seed = 4,
            ModelArgs = new() { ["hidden_size"] = "24", ["mlp_dim"] = "48", ["num_heads"] = "2" },
        };
        var preview = (IPretextPreview)LwiMethod.Instance;
        var folder = tmp.File("preview");
        var info = preview.WriteInput(o, folder);

        // The same draws as the run's step 0, item 0.
        var expected = LwiMethod.Instance.Prepare(o).Parts.CreateBatches().Build(0);
        int n = 32 * 32 * 32;
        var input = NiftiReader.Read(Path.Combine(folder, PretextPreview.Input));
        Assert.Equal(expected.Images.Take(n), Enumerable.Range(0, n).Select(i => (float)input.GetDouble(i)));
        var order = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, LwiPreview.Info))).RootElement
            .GetProperty("originalChunkAtSlot").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var labels = NiftiReader.Read(Path.Combine(folder, PretextPreview.Labels));
        Assert.Equal(order[0] + 1, (int)labels.GetDouble(0)); // first slice: slot 1
        Assert.Equal(order[1] + 1, (int)labels.GetDouble(n - 1)); // last slice: slot 2
        Assert.Equal(0, (int)labels.GetDouble(labels.Index(16, 16, 3))); // inside the frame: the image shows through
        Assert.Equal($"slot 1 ← original chunk {order[0] + 1}", info.Legend[order[0] + 1]);
        Assert.Contains($"hold original chunks {order[0] + 1}, {order[1] + 1}", info.Caption);
        Assert.Contains("of 8 16³ cubes zeroed", info.Caption);

        var result = LwiMethod.Instance.Prepare(o).Train(new SyncProgress(_ => { }));
        Assert.Equal(RunStatus.Completed, result.State);
        var checkpoint = new CheckpointStore(Path.Combine(o.OutputDir, "checkpoints")).Latest()!;
        var path = preview.WriteReconstruction(o, checkpoint, folder, "reconstruction-2.nii.gz");
        var rec = NiftiReader.Read(path);
        Assert.Equal((32, 32, 32), (rec.SizeX, rec.SizeY, rec.SizeZ));
        Assert.All(Enumerable.Range(0, n).Select(i => rec.GetDouble(i)), v => Assert.True(double.IsFinite(v)));
        var again = NiftiReader.Read(preview.WriteReconstruction(o, checkpoint, folder, "again.nii.gz")); // no grad, eval: deterministic
        Assert.Equal(Enumerable.Range(0, n).Select(i => rec.GetDouble(i)), Enumerable.Range(0, n).Select(i => again.GetDouble(i)));
    }

    [Fact]
    public void SwinSsl_Preview_Marks_The_Cut_Out_Voxels_And_Reconstructs_With_The_Inpainting_Head()
    {
        using var tmp = new TempDirectory();
        var data = PretextRunTests.WriteDataset(tmp.File("data"), 2, 64);
        var o = new SwinSslOptions
        {
            OutputDir = tmp.File("run"), SourceDir = data, Crop = 64, FeatureSize = 12, BatchSize = 2, Steps = 1, WarmupSteps = 0,
            CheckpointEvery = 1, IntensityWindow = "none", Device = "cpu", TorchThreads = 1, Seed = 2,
            ModelArgs = new() { ["depths"] = "(1, 1, 1, 1)", ["window_size"] = "4" },
        };
        var folder = tmp.File("preview");
        var info = SwinSslMethod.Instance.WriteInput(o, folder);
        var input = NiftiReader.Read(Path.Combine(folder, PretextPreview.Input));
        var target = NiftiReader.Read(Path.Combine(folder, PretextPreview.Target));
        var labels = NiftiReader.Read(Path.Combine(folder, PretextPreview.Labels));
        int n = 64 * 64 * 64, cut = 0;
        for (int i = 0; i < n; i++)
        {
            bool differs = input.GetDouble(i) != target.GetDouble(i);
            Assert.Equal(differs ? 1 : 0, (int)labels.GetDouble(i));
            if (differs) cut++;
        }
        Assert.Equal("cut out", info.Legend[1]);
        Assert.Contains($"{cut / (double)n:P1} of the voxels differ", info.Caption);
        Assert.Matches("rotated (0|90|180|270)°", info.Caption);

        Assert.Equal(RunStatus.Completed, SwinSslMethod.Instance.Prepare(o).Train(new SyncProgress(_ => { })).State);
        var checkpoint = new CheckpointStore(Path.Combine(o.OutputDir, "checkpoints")).Latest()!;
        var rec = NiftiReader.Read(SwinSslMethod.Instance.WriteReconstruction(o, checkpoint, folder, "reconstruction-1.nii.gz"));
        Assert.Equal((64, 64, 64), (rec.SizeX, rec.SizeY, rec.SizeZ));
        Assert.All(Enumerable.Range(0, n).Select(i => rec.GetDouble(i)), v => Assert.True(double.IsFinite(v)));
    }
}
