using System.Text.Json;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;

namespace MedSeg.Cli.Tests.Commands;

public class VolumeInfoCommandTests
{
    /// <summary>8×6×4 uint8 labels: 0 everywhere, label 1 in 12 voxels, label 7 in 3.</summary>
    private static Volume LabelVolume()
    {
        var v = Volume.Create<byte>(8, 6, 4, spacing: [0.5, 0.75, 2]);
        var data = v.As<byte>();
        for (int x = 0; x < 4; x++) for (int y = 0; y < 3; y++) data[v.Index(x, y, 1)] = 1;
        for (int z = 0; z < 3; z++) data[v.Index(7, 5, z)] = 7;
        return v;
    }

    [Fact]
    public async Task Info_Text_ShowsShapeTypeSpacingRangeAndHistogram()
    {
        using var dir = new TempDirectory();
        string path = dir.File("labels.nii.gz");
        NiftiWriter.Write(LabelVolume(), path);

        var run = await CliRun.InvokeAsync("volume", "info", path);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Contains("shape:    8 × 6 × 4", run.Output);
        Assert.Contains("dtype:    uint8", run.Output);
        Assert.Contains("spacing:  0.5 × 0.75 × 2 mm", run.Output);
        Assert.Contains("(sform)", run.Output);
        Assert.Contains($"min 0, max 7, mean {(12 + 21) / 192.0:G6}", run.Output);
        Assert.Contains("labels:   3 distinct", run.Output);
        Assert.Contains("       0: 177", run.Output);
        Assert.Contains("       1: 12", run.Output);
        Assert.Contains("       7: 3", run.Output);
    }

    [Fact]
    public async Task Info_Json_HasGeometryAndStatistics_NoLabelsForFractionalValues()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ct.nii");
        double[] affine = [0, -2, 0, 10, 1.5, 0, 0, -20, 0, 0, 3, 30, 0, 0, 0, 1];
        var values = Enumerable.Range(0, 24).Select(i => i * 0.25f - 1).ToArray();
        NiftiWriter.Write(new Volume(2, 3, 4, values, [1.5, 2, 3], affine), path);

        var run = await CliRun.InvokeAsync("volume", "info", path, "--json");

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Output);
        var root = doc.RootElement;
        Assert.Equal([2, 3, 4], root.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("float32", root.GetProperty("dtype").GetString());
        Assert.Equal([1.5, 2, 3], root.GetProperty("spacing").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(-2, root.GetProperty("affine")[0][1].GetDouble());
        Assert.Equal(-20, root.GetProperty("affine")[1][3].GetDouble());
        Assert.Equal(-1, root.GetProperty("min").GetDouble());
        Assert.Equal(4.75, root.GetProperty("max").GetDouble());
        Assert.Equal(values.Average(v => (double)v), root.GetProperty("mean").GetDouble(), 9);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("labels").ValueKind);
    }

    [Fact]
    public async Task Info_Json_Float64LabelMap_HasHistogram()
    {
        using var dir = new TempDirectory();
        string path = dir.File("seg.nii.gz");
        NiftiWriter.Write(new Volume(2, 2, 2, new double[] { 0, 0, 0, 3, 3, 12, 0, 0 }), path);

        var run = await CliRun.InvokeAsync("volume", "info", "--json", path);

        using var doc = JsonDocument.Parse(run.Output);
        var labels = doc.RootElement.GetProperty("labels");
        Assert.Equal(5, labels.GetProperty("0").GetInt64());
        Assert.Equal(2, labels.GetProperty("3").GetInt64());
        Assert.Equal(1, labels.GetProperty("12").GetInt64());
    }

    [Fact]
    public async Task Info_MalformedFile_PrintsNamedErrorAndFails()
    {
        using var dir = new TempDirectory();
        string path = dir.File("broken.nii");
        File.WriteAllBytes(path, new byte[100]);

        var run = await CliRun.InvokeAsync("volume", "info", path);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: broken.nii: header ends after 100 of 348 bytes", run.Error.Trim());
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task Info_MissingFile_Fails()
    {
        using var dir = new TempDirectory();
        var run = await CliRun.InvokeAsync("volume", "info", dir.File("absent.nii.gz"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("absent.nii.gz", run.Error);
    }
}
