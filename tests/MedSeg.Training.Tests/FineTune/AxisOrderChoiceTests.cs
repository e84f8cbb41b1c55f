using MedSeg.Training.FineTune;
using MedSeg.Training.Layout;
using MedSeg.Training.Networks;
using MedSeg.Training.Tests.Support;

namespace MedSeg.Training.Tests.FineTune;

public class AxisOrderChoiceTests
{
    private static string Weights(TempDir tmp, string name, AxisOrder? recorded)
    {
        using var model = new TinySegNet(3, 4);
        var path = tmp.Sub(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var extra = recorded is { } r ? new Dictionary<string, string> { [AxisOrders.MetadataKey] = r.ToString() } : null;
        ModelCheckpoint.Save(model, path, "TinySegNet", new Dictionary<string, string> { ["width"] = "4" }, extra);
        return path;
    }

    [Fact]
    public void Scratch_Defaults_To_Zyx_And_Takes_A_Request_Without_Warning()
    {
        var scratch = InitSource.Parse("scratch");
        Assert.Equal(AxisOrder.Zyx, AxisOrderChoice.Resolve(null, scratch, null).Order);
        var requested = AxisOrderChoice.Resolve(AxisOrder.MonaiXyz, scratch, null);
        Assert.Equal(AxisOrder.MonaiXyz, requested.Order);
        Assert.Null(requested.Warning);
    }

    [Fact]
    public void Safetensors_Without_A_Recorded_Order_Are_Taken_As_Monai_Weights()
    {
        using var tmp = new TempDir();
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
        using var tmp = new TempDir();
        var file = Weights(tmp, "model.safetensors", recorded);
        var init = InitSource.Parse("safetensors:" + file);
        Assert.Equal(recorded, AxisOrderChoice.Resolve(null, init, file).Order);
        var e = Assert.Throws<ArgumentException>(() => AxisOrderChoice.Resolve(requested, init, file));
        Assert.Contains("--axis-order", e.Message);
        Assert.Contains(file, e.Message);
        Assert.Contains($"trained with {recorded}", e.Message);
    }

    [Fact]
    public void Run_Init_Follows_Its_Checkpoint_And_Old_Runs_Are_Zyx()
    {
        using var tmp = new TempDir();
        var recordedFile = Weights(tmp, Path.Combine("new-run", "checkpoints", "best", "model.safetensors"), AxisOrder.MonaiXyz);
        var newRun = InitSource.Parse("run:" + tmp.Sub("new-run"));
        Assert.Equal(AxisOrder.MonaiXyz, AxisOrderChoice.Resolve(null, newRun, newRun.ResolveFile()).Order);

        Weights(tmp, Path.Combine("old-run", "checkpoints", "best", "model.safetensors"), recorded: null);
        var oldRun = InitSource.Parse("run:" + tmp.Sub("old-run"));
        var old = AxisOrderChoice.Resolve(null, oldRun, oldRun.ResolveFile());
        Assert.Equal(AxisOrder.Zyx, old.Order);
        Assert.Contains("predates", old.Reason);
        Assert.NotNull(recordedFile);
    }
}
