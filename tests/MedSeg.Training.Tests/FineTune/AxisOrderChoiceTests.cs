using MedSeg.Training.FineTune;
using MedSeg.Training.Layout;
using MedSeg.Training.Networks;
using MedSeg.Training.Tests.Support;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.FineTune;

public class AxisOrderChoiceTests
{
    private static string Weights(TempDirectory tmp, string name, AxisOrder? recorded)
    {
        using var model = new TinySegNet(3, 4);
        var path = tmp.File(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var extra = recorded is { } r ? new Dictionary<string, string> { [AxisOrders.MetadataKey] = r.ToString() } : null;
        ModelCheckpoint.Save(model, path, "TinySegNet", new Dictionary<string, string> { ["width"] = "4" }, extra);
        return path;
    }

    [Fact]
    public void Scratch_Defaults_To_MonaiXyz_And_Takes_A_Request_Without_Warning()
    {
        var scratch = InitSource.Parse("scratch");
        Assert.Equal(AxisOrder.MonaiXyz, AxisOrderChoice.Resolve(null, scratch, null).Order);
        var requested = AxisOrderChoice.Resolve(AxisOrder.Zyx, scratch, null);
        Assert.Equal(AxisOrder.Zyx, requested.Order);
        Assert.Null(requested.Warning);
    }

    [Fact]
    public void Safetensors_Without_A_Recorded_Order_Are_Taken_As_Monai_Weights()
    {
        using var tmp = new TempDirectory();
        var file = Weights(tmp, "ssl.safetensors", recorded: null);
        var init = InitSource.Parse("safetensors:" + file);
        var choice = AxisOrderChoice.Resolve(null, init, file);
        Assert.Equal(AxisOrder.MonaiXyz, choice.Order);
        Assert.Contains("MONAI", choice.Reason);
        Assert.Null(choice.Warning);

        // Asking for Zyx anyway is allowed (nothing records otherwise) but warned about.
        var forced = AxisOrderChoice.Resolve(AxisOrder.Zyx, init, file);
        Assert.Equal(AxisOrder.Zyx, forced.Order);
        Assert.Contains("transposed", forced.Warning);
    }

    [Theory]
    [InlineData(AxisOrder.Zyx, AxisOrder.MonaiXyz)]
    [InlineData(AxisOrder.MonaiXyz, AxisOrder.Zyx)]
    public void A_Request_Against_The_Recorded_Order_Is_Refused(AxisOrder recorded, AxisOrder requested)
    {
        using var tmp = new TempDirectory();
        var file = Weights(tmp, "model.safetensors", recorded);
        var init = InitSource.Parse("safetensors:" + file);
        Assert.Equal(recorded, AxisOrderChoice.Resolve(null, init, file).Order);
        var e = Assert.Throws<ArgumentException>(() => AxisOrderChoice.Resolve(requested, init, file));
        Assert.Contains("--axis-order", e.Message);
        Assert.Contains(file, e.Message);
        Assert.Contains($"trained with {recorded}", e.Message);
        Assert.Contains($"pass {recorded.ToCliName()}", e.Message);
    }

    [Fact]
    public void Run_Init_Follows_Its_Checkpoint_And_Old_Runs_Are_Zyx()
    {
        using var tmp = new TempDirectory();
        var recordedFile = Weights(tmp, Path.Combine("new-run", "checkpoints", "best", "model.safetensors"), AxisOrder.MonaiXyz);
        var newRun = InitSource.Parse("run:" + tmp.File("new-run"));
        Assert.Equal(AxisOrder.MonaiXyz, AxisOrderChoice.Resolve(null, newRun, newRun.ResolveFile()).Order);

        Weights(tmp, Path.Combine("old-run", "checkpoints", "best", "model.safetensors"), recorded: null);
        var oldRun = InitSource.Parse("run:" + tmp.File("old-run"));
        var old = AxisOrderChoice.Resolve(null, oldRun, oldRun.ResolveFile());
        Assert.Equal(AxisOrder.Zyx, old.Order);
        Assert.Contains("before axis orders were recorded", old.Reason);
        Assert.NotNull(recordedFile);
    }

    [Fact]
    public void A_Safetensors_File_Inside_An_Old_MedSeg_Checkpoint_Is_Zyx()
    {
        using var tmp = new TempDirectory();
        var file = Weights(tmp, Path.Combine("old", "checkpoints", "step-000000004", "model.safetensors"), recorded: null);
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(file)!, "state.json"), """{ "step": 4 }""");
        var choice = AxisOrderChoice.Resolve(null, InitSource.Parse("safetensors:" + file), file);
        Assert.Equal(AxisOrder.Zyx, choice.Order);
        Assert.Contains("before axis orders were recorded", choice.Reason);
    }

    [Fact]
    public void A_Resume_Follows_Its_Newest_Checkpoint_Old_Ones_Being_Zyx()
    {
        using var tmp = new TempDirectory();
        var run = tmp.File("ft");
        Assert.Null(AxisOrderChoice.OfResume(run, resume: true, requested: null)); // nothing to resume: the init decides
        Assert.False(Directory.Exists(run)); // and looking leaves no folder behind
        var step = Directory.CreateDirectory(Path.Combine(run, "checkpoints", "step-000000002")).FullName;
        File.WriteAllText(Path.Combine(step, "state.json"), """{ "step": 2 }""");
        Assert.Equal(AxisOrder.Zyx, AxisOrderChoice.OfResume(run, resume: true, requested: null)!.Order);
        Assert.Null(AxisOrderChoice.OfResume(run, resume: false, requested: null));
        var newer = Directory.CreateDirectory(Path.Combine(run, "checkpoints", "step-000000004")).FullName;
        File.WriteAllText(Path.Combine(newer, "state.json"), """{ "step": 4, "axisOrder": "MonaiXyz" }""");
        Assert.Equal(AxisOrder.MonaiXyz, AxisOrderChoice.OfResume(run, resume: true, requested: null)!.Order);
    }
}
