using MedSeg.Training.Fdsl;
using MedSeg.Training.Runs;
using MedSeg.Training.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Fdsl;

/// <summary>Bad input gives a clear message and leaves the run folder consistent (status failed, no half checkpoints).</summary>
public class BadInputTests
{
    [Fact]
    public void Crop_Larger_Than_Volume_Fails_With_Axis_And_Sizes()
    {
        using var tmp = new TempDirectory();
        var o = TestRuns.Options(tmp.File("run"), steps: 5);
        o.Crop = 32;
        var e = Assert.Throws<TrainingException>(() => TestRuns.Trainer(o).Run());
        Assert.Contains("crop 32 larger than volume 24 along x", e.Message);
        AssertFailed(o.OutputDir, "crop 32 larger than volume 24");
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(o.OutputDir, "checkpoints")));
    }

    [Fact]
    public void Resume_With_Another_Model_Names_Both_And_Keeps_Checkpoint()
    {
        using var tmp = new TempDirectory();
        var o = TestRuns.Options(tmp.File("run"), steps: 4);
        TestRuns.Trainer(o, width: 8).Run();
        var checkpoint = Path.Combine(o.OutputDir, "checkpoints", "step-000000004");
        var before = File.ReadAllBytes(Path.Combine(checkpoint, "model.bin"));

        var other = TestRuns.Options(o.OutputDir, steps: 4);
        other.Resume = true;
        var e = Assert.Throws<TrainingException>(() => TestRuns.Trainer(other, width: 4).Run());
        Assert.Contains("TinySegNet(out_channels=3, width=8)", e.Message);
        Assert.Contains("TinySegNet(out_channels=3, width=4)", e.Message);
        AssertFailed(o.OutputDir, "was written for model");
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(checkpoint, "model.bin")));
    }

    [Fact]
    public void Checkpoint_Whose_Tensors_Do_Not_Fit_Is_Reported()
    {
        using var tmp = new TempDirectory();
        var o = TestRuns.Options(tmp.File("run"), steps: 4);
        TestRuns.Trainer(o, width: 8).Run();
        var resume = TestRuns.Options(o.OutputDir, steps: 4);
        resume.Resume = true;
        // Same declared signature, different real architecture: strict loading must refuse it.
        var liar = new FdslTrainer(resume, new BlobSource(16, 24, TestRuns.Classes), null,
            new ModelChoice("TinySegNet", new Dictionary<string, string> { ["width"] = "8", ["out_channels"] = "3" }),
            () => new TinySegNet(TestRuns.Classes, 5));
        var e = Assert.Throws<TrainingException>(() => liar.Run());
        Assert.Contains("does not fit model", e.Message);
        AssertFailed(o.OutputDir, "does not fit model");
    }

    [Fact]
    public void Existing_Checkpoints_Without_Resume_Are_Not_Overwritten()
    {
        using var tmp = new TempDirectory();
        var o = TestRuns.Options(tmp.File("run"), steps: 3);
        TestRuns.Trainer(o).Run();
        var e = Assert.Throws<TrainingException>(() => TestRuns.Trainer(TestRuns.Options(o.OutputDir, 3)).Run());
        Assert.Contains("pass --resume", e.Message);
    }

    [Fact]
    public void Cuda_Requested_Without_Cuda_Says_So()
    {
        if (cuda.is_available()) return; // only meaningful on a CPU-only machine
        using var tmp = new TempDirectory();
        var o = TestRuns.Options(tmp.File("run"), steps: 3);
        o.Device = "cuda";
        var e = Assert.Throws<TrainingException>(() => TestRuns.Trainer(o).Run());
        Assert.Contains("CUDA is not available", e.Message);
        AssertFailed(o.OutputDir, "CUDA is not available");
    }

    [Fact]
    public void Out_Of_Memory_Is_Explained_And_Recorded()
    {
        using var tmp = new TempDirectory();
        var o = TestRuns.Options(tmp.File("run"), steps: 3);
        // libtorch's allocator failure surfaces as an exception carrying "out of memory"; reproduce that message.
        var trainer = new FdslTrainer(o, new BlobSource(4, 24, 3), null,
            new ModelChoice("Oom", new Dictionary<string, string>()), () => new OomNet());
        var e = Assert.Throws<TrainingException>(() => trainer.Run());
        Assert.Contains("Out of memory", e.Message);
        Assert.Contains("reduce --batch or --crop", e.Message);
        AssertFailed(o.OutputDir, "Out of memory");
    }

    [Fact]
    public void NaN_Loss_Stops_The_Run_With_Step_And_Lr()
    {
        using var tmp = new TempDirectory();
        var o = TestRuns.Options(tmp.File("run"), steps: 3);
        var trainer = new FdslTrainer(o, new BlobSource(4, 24, 3), null,
            new ModelChoice("NaN", new Dictionary<string, string>()), () => new NanNet());
        var e = Assert.Throws<TrainingException>(() => trainer.Run());
        Assert.Contains("Loss became NaN at step 1", e.Message);
        AssertFailed(o.OutputDir, "Loss became NaN");
    }

    [Fact]
    public void Cancel_While_Waiting_For_Data_Is_An_Interruption_Not_A_Failure()
    {
        using var tmp = new TempDirectory();
        var o = TestRuns.Options(tmp.File("run"), steps: 50);
        // Step 0's samples load at once, every other sample only once the run is cancelled: step 2 waits in the loader
        // however slow or fast the machine (a fixed sleep let a starved cancel timer arrive after step 2 on a loaded one).
        var order = new Training.Data.SampleOrder(o.Seed, 8, o.BatchSize);
        var fast = new HashSet<int> { order.SampleIndex(0, 0), order.SampleIndex(0, 1) };
        using var cts = new CancellationTokenSource();
        var slow = new SlowSource(new BlobSource(8, 24, 3), fast, cts.Token);
        var result = TestRuns.Trainer(o, source: slow).Run(new SyncProgress(p => { if (p.Step == 1) cts.CancelAfter(300); }), cts.Token);
        Assert.Equal(RunStatus.Interrupted, result.State);
        // Normally step 1; on a starved CI machine the cancel timer has fired late once (step 2), so only "stopped early".
        Assert.InRange(result.CompletedSteps, 1, 49);
        Assert.Equal(RunStatus.Interrupted, new RunFolder(o.OutputDir).ReadStatus()!.State);
        Assert.True(Directory.Exists(Path.Combine(o.OutputDir, "checkpoints", $"step-{result.CompletedSteps:D9}")));
    }

    [Fact]
    public void Invalid_Options_Name_The_Field()
    {
        var o = TestRuns.Options("/tmp/unused", steps: 3);
        o.BatchSize = 0;
        var e = Assert.Throws<ArgumentException>(() => TestRuns.Trainer(o));
        Assert.Contains("BatchSize (--batch)", e.Message);
    }

    private static void AssertFailed(string dir, string errorPart)
    {
        var status = new RunFolder(dir).ReadStatus()!;
        Assert.Equal(RunStatus.Failed, status.State);
        Assert.Contains(errorPart, status.Error);
        Assert.Empty(Directory.GetDirectories(Path.Combine(dir, "checkpoints"), ".tmp-*"));
    }

    private sealed class NanNet : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Conv3d _c = nn.Conv3d(1, 3, 1);
        public NanNet() : base(nameof(NanNet)) => RegisterComponents();
        public override Tensor forward(Tensor x) => _c.call(x) * double.NaN;
    }

    /// <summary>Loads the given samples at once and any other one only after 1.5 s.</summary>
    private sealed class SlowSource(BlobSource inner, IReadOnlySet<int> fast, CancellationToken release) : Training.Data.IVolumeSampleSource
    {
        public int Count => inner.Count;
        public int ClassCount => inner.ClassCount;
        public string Description => "slow " + inner.Description;
        public Training.Data.LabeledVolume Load(int index)
        {
            if (!fast.Contains(index)) release.WaitHandle.WaitOne(TimeSpan.FromSeconds(60));
            return inner.Load(index);
        }
    }

    private sealed class OomNet : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Conv3d _c = nn.Conv3d(1, 3, 1);
        public OomNet() : base(nameof(OomNet)) => RegisterComponents();
        public override Tensor forward(Tensor x) =>
            throw new System.Runtime.InteropServices.ExternalException("CUDA out of memory. Tried to allocate 2.00 GiB");
    }
}
