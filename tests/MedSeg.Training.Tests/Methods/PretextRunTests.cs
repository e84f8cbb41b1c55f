using System.Security.Cryptography;
using MedSeg.Core.Nifti;
using MedSeg.Training.Checkpoints;
using MedSeg.Training.Fdsl;
using MedSeg.Training.FineTune;
using MedSeg.Training.Methods;
using MedSeg.Training.Methods.Lwi;
using MedSeg.Training.Methods.SwinSsl;
using MedSeg.Training.Networks;
using MedSeg.Training.Progress;
using MedSeg.Training.Runs;
using MedSeg.Training.Tests.Support;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Methods;

/// <summary>
/// LWI and Swin SSL through the catalogue and the shared loop: a tiny 60-step run whose total loss falls, per-term
/// metrics, exact resume from a late checkpoint, and the run's encoder loading into a fine-tuning network.
/// Serial: seeded weight init uses libtorch's global generator.
/// </summary>
[Collection(SerialCollection.Name)]
public class PretextRunTests
{
    private const int Steps = 60;

    [Fact]
    public void Lwi_Tiny_Run_Learns_Resumes_Exactly_And_Its_Encoder_Fine_Tunes()
    {
        using var tmp = new TempDirectory();
        var data = WriteDataset(tmp.File("data"), 4, 32);
        var method = MethodCatalog.Default.Get("lwi");
        LwiOptions Options(string dir) => (LwiOptions)method.CreateDefaultOptions() with
        {
            OutputDir = dir, DatasetDir = data, Crop = 32, Chunks = 2, FeatureSize = 4, BatchSize = 2, Steps = Steps,
            WarmupSteps = 5, LearningRate = 1e-3, CheckpointEvery = 20, IntensityWindow = "none", Device = "cpu", TorchThreads = 1,
            ModelArgs = new() { ["hidden_size"] = "24", ["mlp_dim"] = "48", ["num_heads"] = "2" },
        };
        var (straight, straightDir) = RunAndResume(method, Options, tmp, ["loss_order", "loss_rec"], resumeFrom: 40);

        var file = InitSource.Parse("run:" + straightDir).ResolveFile();
        var args = new Dictionary<string, string>(LwiMethod.ModelFor(Options(straightDir)).Args) { ["out_channels"] = "3" };
        using var fineTune = ModelFactory.Create("UNETR", args);
        var report = WeightInitializer.Load(fineTune, "UNETR", file, encoderOnly: true);
        Assert.All(report.Loaded, k => Assert.StartsWith("vit.", k));
        Assert.Equal(fineTune.state_dict().Keys.Count(k => k.StartsWith("vit.", StringComparison.Ordinal)), report.Loaded.Count);
        using var whole = ModelFactory.Create("UNETR", args);
        Assert.Equal(["out.conv.conv.bias", "out.conv.conv.weight"], WeightInitializer.Load(whole, "UNETR", file, encoderOnly: false).ShapeMismatches.Select(m => m.Key).Order());
        Assert.Contains("\"method\": \"lwi\"", File.ReadAllText(Path.Combine(straightDir, "config.json")));
    }

    [Fact]
    public void SwinSsl_Tiny_Run_Learns_Resumes_Exactly_And_Its_Encoder_Fine_Tunes()
    {
        using var tmp = new TempDirectory();
        var data = WriteDataset(tmp.File("data"), 4, 64);
        var method = MethodCatalog.Default.Get("swin-ssl");
        SwinSslOptions Options(string dir) => (SwinSslOptions)method.CreateDefaultOptions() with
        {
            OutputDir = dir, SourceDir = data, Crop = 64, FeatureSize = 12, BatchSize = 2, Steps = Steps, WarmupSteps = 5,
            LearningRate = 1e-3, WeightDecay = 0.1, CheckpointEvery = 5, IntensityWindow = "none", Device = "cpu", TorchThreads = 1,
            ModelArgs = new() { ["depths"] = "(1, 1, 1, 1)", ["window_size"] = "4" },
        };
        // The costliest tiny run of the suite (4 views of 64³ per step): resume from step 55 to keep CI short.
        var (_, straightDir) = RunAndResume(method, Options, tmp, ["loss_contrast", "loss_rec", "loss_rot"], resumeFrom: 55);

        var file = InitSource.Parse("run:" + straightDir).ResolveFile();
        var args = new Dictionary<string, string>(SwinSslMethod.ModelFor(Options(straightDir)).Args) { ["out_channels"] = "4" };
        using var fineTune = ModelFactory.Create("SwinUNETR", args);
        var report = WeightInitializer.Load(fineTune, "SwinUNETR", file, encoderOnly: true);
        Assert.Equal(fineTune.state_dict().Keys.Count(k => k.StartsWith("swinViT.", StringComparison.Ordinal)), report.Loaded.Count);
    }

    [Fact]
    public void Bad_Options_Name_The_Field_And_Leave_No_Run_Folder()
    {
        using var tmp = new TempDirectory();
        var dir = tmp.File("run");
        var lwi = new LwiOptions { OutputDir = dir, DatasetDir = tmp.File("nowhere"), Chunks = 5, MaskRatio = 2 };
        var e = Assert.Throws<TrainingException>(() => LwiMethod.Instance.Prepare(lwi));
        Assert.Contains("Chunks (--chunks) must divide the crop 96, got 5.", e.Message);
        Assert.Contains("Mask ratio (--mask-ratio) must be ≥ 0 and ≤ 0.95, got 2.", e.Message);
        var missing = Assert.Throws<TrainingException>(() => LwiMethod.Instance.Prepare(lwi with { Chunks = null, MaskRatio = 0.4 }));
        Assert.Contains("nowhere", missing.Message);
        var swin = new SwinSslOptions { OutputDir = dir, SourceDir = tmp.File("nowhere"), Crop = 32, BatchSize = 1 };
        var s = Assert.Throws<TrainingException>(() => SwinSslMethod.Instance.Prepare(swin));
        Assert.Contains("Crop (--crop) must be between 64 and 512, got 32.", s.Message);
        Assert.Contains("Batch (--batch) must be between 2 and 256, got 1.", s.Message);
        Assert.False(Directory.Exists(dir));
        Assert.Contains("Chunks (--chunks) must cut the crop 96 into chunks of a multiple of 32 slices",
            string.Join(" ", new LwiOptions { OutputDir = dir, DatasetDir = "d", Model = "SwinUNETR", FeatureSize = 48, Chunks = 6 }.Problems()));
        Assert.Empty(new LwiOptions { OutputDir = dir, DatasetDir = "d" }.Problems());
        Assert.Empty(new SwinSslOptions { OutputDir = dir, SourceDir = "d" }.Problems());
    }

    /// <summary>
    /// A straight run of <see cref="Steps"/> steps (total loss must fall), then a copy of its folder cut back to the
    /// <paramref name="resumeFrom"/> checkpoint and resumed: the remaining steps must repeat bit for bit, weights and heads too.
    /// </summary>
    private static (List<TrainingProgress> Reports, string Dir) RunAndResume<T>(IPretrainingMethod method, Func<string, T> options,
        TempDirectory tmp, string[] terms, int resumeFrom) where T : IMethodOptions
    {
        var straightDir = tmp.File("straight");
        var straight = new List<TrainingProgress>();
        var result = method.Prepare(options(straightDir)).Train(new SyncProgress(straight.Add));
        Assert.Equal(RunStatus.Completed, result.State);
        Assert.Equal(Steps, straight.Count);
        Assert.All(straight, r => Assert.Equal(terms, r.Terms!.Keys.Order()));
        double first = straight.Take(10).Average(r => r.Loss), last = straight.TakeLast(10).Average(r => r.Loss);
        Assert.True(last < 0.8 * first, $"total loss did not fall: first-10 mean {first:F4}, last-10 mean {last:F4}");
        var csv = File.ReadAllLines(Path.Combine(straightDir, "metrics.csv"));
        Assert.All(terms, t => Assert.Contains(t, csv[0].Split(',')));

        var resumedDir = tmp.File("resumed");
        CopyDirectory(straightDir, resumedDir);
        Directory.Delete(Path.Combine(resumedDir, "checkpoints", $"step-{Steps:D9}"), recursive: true);
        var resumed = new List<TrainingProgress>();
        var again = method.Prepare(options(resumedDir) switch
        {
            LwiOptions l => (IMethodOptions)(l with { Resume = true }),
            SwinSslOptions s => s with { Resume = true },
            var other => other,
        }).Train(new SyncProgress(resumed.Add));
        Assert.Equal(RunStatus.Completed, again.State);
        Assert.Equal(Enumerable.Range(resumeFrom + 1, Steps - resumeFrom).Select(s => (long)s), resumed.Select(r => r.Step));
        for (int i = 0; i < resumed.Count; i++)
        {
            var a = straight[resumeFrom + i];
            var b = resumed[i];
            Assert.True(Bits(a.Loss) == Bits(b.Loss), $"step {b.Step}: loss {a.Loss:R} vs resumed {b.Loss:R}");
            foreach (var t in terms) Assert.True(Bits(a.Terms![t]) == Bits(b.Terms![t]), $"step {b.Step}: {t} differs after resume");
        }
        foreach (var f in new[] { CheckpointStore.ModelFile, CheckpointStore.HeadsFile, CheckpointStore.OptimizerFile })
            Assert.Equal(Hash(straightDir, f), Hash(resumedDir, f));
        return (straight, straightDir);
    }

    /// <summary>An MSD-style folder of <paramref name="count"/> blob volumes (labels present but unused).</summary>
    internal static string WriteDataset(string dir, int count, int size)
    {
        Directory.CreateDirectory(Path.Combine(dir, "imagesTr"));
        Directory.CreateDirectory(Path.Combine(dir, "labelsTr"));
        var blobs = new BlobSource(count, size, 3);
        var entries = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var s = blobs.Load(i);
            NiftiWriter.Write(s.Image, Path.Combine(dir, "imagesTr", $"b{i}_0000.nii.gz"));
            NiftiWriter.Write(s.Label, Path.Combine(dir, "labelsTr", $"b{i}.nii.gz"));
            entries.Add($"{{\"image\": \"./imagesTr/b{i}_0000.nii.gz\", \"label\": \"./labelsTr/b{i}.nii.gz\"}}");
        }
        File.WriteAllText(Path.Combine(dir, "dataset.json"),
            $"{{\"labels\": {{\"0\": \"background\", \"1\": \"a\", \"2\": \"b\"}}, \"training\": [{string.Join(", ", entries)}]}}");
        return dir;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var d in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(d.Replace(from, to));
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(f, f.Replace(from, to));
    }

    private static long Bits(double v) => BitConverter.DoubleToInt64Bits(v);

    private static string Hash(string run, string file) =>
        Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(run, "checkpoints", $"step-{Steps:D9}", file))));
}
