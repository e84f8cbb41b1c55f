using MedSeg.Training.Runs;
using MedSeg.Training.Tests.Support;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Runs;

/// <summary>Paths in the run log (shown to every lab member) never reveal the server's directory layout.</summary>
public class RunFolderDisplayTests
{
    [Fact]
    public void Display_IsRunRelative_SiblingRelative_OrFolderAndFileName()
    {
        using var tmp = new TempDirectory();
        var run = new RunFolder(Path.Combine(tmp.Path, "runs", "17"));

        Assert.Equal("checkpoints/step-000000012", run.Display(Path.Combine(run.CheckpointsDir, "step-000000012")));
        Assert.Equal("checkpoints/best/model.safetensors", run.Display(Path.Combine(run.CheckpointsDir, "best", "model.safetensors") + "/"));
        Assert.Equal("../12/checkpoints/best/model.safetensors",
            run.Display(Path.Combine(tmp.Path, "runs", "12", "checkpoints", "best", "model.safetensors")));
        Assert.Equal(".../weights/monai.safetensors", run.Display(Path.Combine(tmp.Path, "weights", "monai.safetensors")));
        Assert.Equal("../x.safetensors", run.Display(Path.Combine(tmp.Path, "runs", "17", "..", "..", "runs", "x.safetensors")));
        Assert.DoesNotContain(tmp.Path, run.Display("/etc/passwd"));
    }
}
