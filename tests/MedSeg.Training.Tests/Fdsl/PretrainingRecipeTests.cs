using System.Text.Json.Nodes;
using MedSeg.Core.Generators.AvsDb;
using MedSeg.Core.Volumes;
using MedSeg.Training.Data;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Runs;
using MedSeg.Training.Tests.Support;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Fdsl;

/// <summary>
/// The pretraining recipe's choices are explicit and recorded: AVS-DB images enter the network at 0..1 ("unit") unless
/// "raw" is asked for, clipping is off (the paper names none), and a resumed run keeps what it was started with.
/// </summary>
public class PretrainingRecipeTests
{
    [Fact]
    public void Unit_Maps_Avs_Db_Outlines_To_0_And_1_And_Handles_Constant_And_NaN_Volumes()
    {
        var spec = AvsDbSpec.PaperBest(32) with { ShapesPerVolume = 4 };
        var raw = new AvsDbSampleSource(new AvsDbGenerator(spec, 3), count: 1);
        var image = raw.Load(0).Image;
        Assert.Equal([0.0, 128.0], Values(image));
        var unit = new UnitIntensitySource(raw).Load(0);
        Assert.Equal([0.0, 1.0], Values(unit.Image));
        Assert.Equal(raw.Load(0).Label.As<byte>(), unit.Label.As<byte>()); // labels untouched
        Assert.Equal(VoxelType.Float32, unit.Image.Type);

        var constant = UnitIntensitySource.Scale(new Volume(4, 4, 4, Enumerable.Repeat(7f, 64).ToArray()));
        Assert.Equal([0.0], Values(constant)); // MONAI: a constant image times minv
        var withNaN = Enumerable.Range(0, 64).Select(i => (float)i).ToArray();
        withNaN[5] = float.NaN;
        var scaled = UnitIntensitySource.Scale(new Volume(4, 4, 4, withNaN)).As<float>();
        Assert.True(float.IsNaN(scaled[5]));
        Assert.Equal(0f, scaled[0]);
        Assert.Equal(1f, scaled[63]);
        Assert.Equal(10f / 63f, scaled[10], 6);
    }

    [Fact]
    public void Default_Options_Clip_Nothing_And_Reject_Unknown_Rules_By_Name()
    {
        var o = new FdslOptions { OutputDir = "x" };
        Assert.Null(o.MaxGradNorm);
        Assert.Null(o.InputIntensity); // = unit for a new run
        o.InputIntensity = "scaled";
        var e = Assert.Throws<ArgumentException>(o.Validate);
        Assert.Contains("InputIntensity (--input-intensity)", e.Message);
        Assert.Contains("'scaled'", e.Message);
    }

    [Fact]
    public void A_New_Run_Records_Unit_Inputs_And_No_Clipping_An_Old_Run_Resumes_Raw_And_A_Changed_Clip_Is_Refused()
    {
        using var tmp = new TempDirectory();
        var o = TestRuns.Options(tmp.File("run"), steps: 4);
        o.CheckpointEvery = 2;
        using var cts = new CancellationTokenSource();
        var first = TestRuns.Trainer(o).Run(new SyncProgress(p => { if (p.Step == 2) cts.Cancel(); }), cts.Token);
        Assert.Equal(RunStatus.Interrupted, first.State);
        var run = new RunFolder(o.OutputDir);
        var config = JsonNode.Parse(File.ReadAllText(run.ConfigPath))!;
        Assert.Equal("unit", (string?)config["inputIntensity"]);
        Assert.Null(config["options"]!["maxGradNorm"]);
        Assert.Contains("scaled to 0..1", (string?)config["data"]);

        // Make it look like a run from before the rule: clipping 1.0 recorded, no inputIntensity.
        config.AsObject().Remove("inputIntensity");
        config["options"]!["maxGradNorm"] = 1.0;
        File.WriteAllText(run.ConfigPath, config.ToJsonString());

        var refused = TestRuns.Options(tmp.File("run"), steps: 4);
        refused.CheckpointEvery = 2;
        refused.Resume = true;
        var e = Assert.Throws<TrainingException>(() => TestRuns.Trainer(refused).Run());
        Assert.Contains("was trained with clipping at 1", e.Message);
        Assert.Contains("Resume with --max-grad-norm 1", e.Message);
        Assert.Equal(RunStatus.Failed, run.ReadStatus()!.State);

        var resumed = TestRuns.Options(tmp.File("run"), steps: 4);
        resumed.CheckpointEvery = 2;
        resumed.Resume = true;
        resumed.MaxGradNorm = 1.0;
        Assert.Equal(RunStatus.Completed, TestRuns.Trainer(resumed).Run().State);
        var after = JsonNode.Parse(File.ReadAllText(run.ConfigPath))!;
        Assert.Equal("raw", (string?)after["inputIntensity"]); // the old run keeps feeding what it was trained on
        Assert.DoesNotContain("scaled to 0..1", (string?)after["data"]);
    }

    private static double[] Values(Volume v)
    {
        var set = new SortedSet<double>();
        for (long i = 0; i < v.VoxelCount; i++) set.Add(v.GetDouble(i));
        return set.ToArray();
    }
}
