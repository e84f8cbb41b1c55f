using System.Text.Json;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;

namespace MedSeg.Cli.Tests.Commands;

public class EvaluateCommandTests
{
    /// <summary>16³ labels, 1×1×3 mm: class 1 a 6×6×4 box starting at z = <paramref name="z0"/>; class 2 a 2³ cube if asked.</summary>
    private static Volume Labels(int z0, bool withClass2)
    {
        var v = Volume.Create<byte>(16, 16, 16, [1, 1, 3]);
        var d = v.As<byte>();
        for (int z = z0; z < z0 + 4; z++) for (int y = 4; y < 10; y++) for (int x = 4; x < 10; x++) d[v.Index(x, y, z)] = 1;
        if (withClass2) for (int z = 12; z < 14; z++) for (int y = 12; y < 14; y++) for (int x = 12; x < 14; x++) d[v.Index(x, y, z)] = 2;
        return v;
    }

    private static (string Pred, string Label) Write(TempDirectory dir, Volume pred, Volume label)
    {
        string p = dir.File("pred.nii.gz"), l = dir.File("label.nii.gz");
        NiftiWriter.Write(pred, p);
        NiftiWriter.Write(label, l);
        return (p, l);
    }

    [Fact]
    public async Task Evaluate_Table_ShowsPerClassRowsAndMean()
    {
        using var dir = new TempDirectory();
        var (p, l) = Write(dir, Labels(5, true), Labels(4, true)); // class 1 shifted one voxel (3 mm) along z

        var run = await CliRun.InvokeAsync("evaluate", "--pred", p, "--label", l);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Contains("spacing 1 × 1 × 3 mm", run.Output);
        Assert.Contains("     1          144          144   0.7500", run.Output); // Dice 2·108/288
        Assert.Contains("     2            8            8   1.0000     0.000     0.000", run.Output);
        Assert.Contains("  mean                             0.8750", run.Output);
    }

    [Fact]
    public async Task Evaluate_Json_ClassesOptionAndNaNForEmptyClass()
    {
        using var dir = new TempDirectory();
        var (p, l) = Write(dir, Labels(5, false), Labels(4, false));

        var run = await CliRun.InvokeAsync("evaluate", "--pred", p, "--label", l, "--classes", "1, 2", "--json");

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Output);
        var classes = doc.RootElement.GetProperty("classes");
        Assert.Equal(2, classes.GetArrayLength());
        Assert.Equal(0.75, classes[0].GetProperty("dice").GetDouble(), 12);
        Assert.Equal(3, classes[0].GetProperty("hd95").GetDouble(), 6);  // the shifted top/bottom faces dominate
        Assert.Equal("NaN", classes[1].GetProperty("dice").GetString());
        Assert.Equal(0.75, doc.RootElement.GetProperty("meanDice").GetDouble(), 12);
    }

    [Fact]
    public async Task Evaluate_ShapeMismatch_ErrorNamesBothFiles()
    {
        using var dir = new TempDirectory();
        string p = dir.File("p.nii.gz"), l = dir.File("l.nii.gz");
        NiftiWriter.Write(Volume.Create<byte>(4, 4, 4), p);
        NiftiWriter.Write(Volume.Create<byte>(4, 4, 6), l);

        var run = await CliRun.InvokeAsync("evaluate", "--pred", p, "--label", l);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"error: shape mismatch: {p} is 4×4×4 but {l} is 4×4×6", run.Error);
    }

    [Fact]
    public async Task Evaluate_BadClasses_IsAnError()
    {
        using var dir = new TempDirectory();
        var (p, l) = Write(dir, Labels(4, false), Labels(4, false));
        var run = await CliRun.InvokeAsync("evaluate", "--pred", p, "--label", l, "--classes", "1,x");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--classes: 'x' is not an integer label", run.Error);
    }

    [Fact]
    public async Task Evaluate_MissingFile_IsAnError()
    {
        using var dir = new TempDirectory();
        var run = await CliRun.InvokeAsync("evaluate", "--pred", dir.File("none.nii.gz"), "--label", dir.File("none.nii.gz"));
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error:", run.Error);
    }
}
