using System.IO.Compression;
using System.Text.Json;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;

namespace MedSeg.Cli.Tests.Commands;

public class ImportMsdCommandTests
{
    /// <summary>An MSD folder with <paramref name="cases"/> 6³ cases; case 2's label holds value <paramref name="badValue"/> when given.</summary>
    private static void WriteMsd(string root, int cases, int? badValue = null)
    {
        Directory.CreateDirectory(Path.Combine(root, "imagesTr"));
        Directory.CreateDirectory(Path.Combine(root, "labelsTr"));
        var entries = new List<string>();
        for (int i = 1; i <= cases; i++)
        {
            string id = $"hip_{i:000}";
            var image = Volume.Create<short>(6, 6, 6);
            var label = Volume.Create<byte>(6, 6, 6);
            label.As<byte>()[label.Index(2, 2, 2)] = 1;
            if (i == 2 && badValue is { } b) label.As<byte>()[0] = (byte)b;
            NiftiWriter.Write(image, Path.Combine(root, "imagesTr", id + ".nii.gz"));
            NiftiWriter.Write(label, Path.Combine(root, "labelsTr", id + ".nii.gz"));
            entries.Add($$"""{"image": "./imagesTr/{{id}}.nii.gz", "label": "./labelsTr/{{id}}.nii.gz"}""");
        }
        File.WriteAllText(Path.Combine(root, "dataset.json"),
            $$"""{"name": "Hip", "labels": {"0": "background", "1": "bone"}, "numTraining": {{cases}}, "training": [{{string.Join(",", entries)}}]}""");
    }

    [Fact]
    public async Task ImportMsd_Folder_WritesDatasetAndSplit()
    {
        using var dir = new TempDirectory();
        WriteMsd(dir.File("src"), 10);

        var run = await CliRun.InvokeAsync("import", "msd", dir.File("src"), "--out", dir.File("hip"), "--seed", "5", "--val", "0.2", "--test", "0.1");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("imported 10 cases (Msd, labels {0,1}, 0 test images)", run.Output);
        Assert.Contains("split.json: train 7, val 2, test 1 (seed 5)", run.Output);
        using var split = JsonDocument.Parse(File.ReadAllText(dir.File("hip/split.json")));
        Assert.Equal(2, split.RootElement.GetProperty("val").GetArrayLength());
        Assert.True(File.Exists(dir.File("hip/labelsTr/hip_010.nii.gz")));
    }

    [Fact]
    public async Task ImportMsd_SameSeed_SameSplitFile()
    {
        using var dir = new TempDirectory();
        WriteMsd(dir.File("src"), 8);
        await CliRun.InvokeAsync("import", "msd", dir.File("src"), "--out", dir.File("a"), "--seed", "11");
        await CliRun.InvokeAsync("import", "msd", dir.File("src"), "--out", dir.File("b"), "--seed", "11");
        Assert.Equal(File.ReadAllText(dir.File("a/split.json")), File.ReadAllText(dir.File("b/split.json")));
    }

    [Fact]
    public async Task ImportMsd_Zip_Works()
    {
        using var dir = new TempDirectory();
        WriteMsd(dir.File("src"), 3);
        ZipFile.CreateFromDirectory(dir.File("src"), dir.File("hip.zip"));

        var run = await CliRun.InvokeAsync("import", "msd", dir.File("hip.zip"), "--out", dir.File("hip"), "--val", "0");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("split.json: train 3, val 0, test 0", run.Output);
    }

    [Fact]
    public async Task ImportMsd_Tgz_With_Top_Level_Folder_Works()
    {
        using var dir = new TempDirectory();
        WriteMsd(dir.File("build/Task04_Hippocampus"), 3);
        using (var gz = new GZipStream(File.Create(dir.File("Task04_Hippocampus.tgz")), CompressionLevel.Fastest))
            System.Formats.Tar.TarFile.CreateFromDirectory(dir.File("build"), gz, includeBaseDirectory: false);

        var run = await CliRun.InvokeAsync("import", "msd", dir.File("Task04_Hippocampus.tgz"), "--out", dir.File("hip"), "--val", "0");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("imported 3 cases", run.Output);
        Assert.True(File.Exists(dir.File("hip/labelsTr/hip_003.nii.gz")));
    }

    [Fact]
    public async Task ImportMsd_Channel_Is_Recorded_And_Checked()
    {
        using var dir = new TempDirectory();
        WriteMsd(dir.File("src"), 3);

        var bad = await CliRun.InvokeAsync("import", "msd", dir.File("src"), "--out", dir.File("neg"), "--channel", "-1");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--channel", bad.Error);
        Assert.Contains("-1", bad.Error);

        var missing = await CliRun.InvokeAsync("import", "msd", dir.File("src"), "--out", dir.File("c1"), "--channel", "1", "--val", "0");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("imagesTr/hip_001.nii.gz: channel 1 (--channel) does not exist: the image is 6×6×6 (3-D: channel 0 only)", missing.Error);
        Assert.False(Directory.Exists(dir.File("c1")));

        var run = await CliRun.InvokeAsync("import", "msd", dir.File("src"), "--out", dir.File("hip"), "--channel", "0", "--val", "0");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("images: channel 0", run.Output);
        Assert.Contains("\"imageChannel\": 0", File.ReadAllText(dir.File("hip/dataset.json")));
    }

    [Fact]
    public async Task ImportMsd_Unknown_File_Type_Names_The_Accepted_Archives()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("hip.rar"), "?");
        var run = await CliRun.InvokeAsync("import", "msd", dir.File("hip.rar"), "--out", dir.File("hip"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("hip.rar", run.Error);
        Assert.Contains(".tar.gz", run.Error);
    }

    [Fact]
    public async Task ImportMsd_BadLabel_ErrorListsProblem_NoTargetFolder()
    {
        using var dir = new TempDirectory();
        WriteMsd(dir.File("src"), 3, badValue: 4);

        var run = await CliRun.InvokeAsync("import", "msd", dir.File("src"), "--out", dir.File("hip"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not imported, 1 problem(s)", run.Error);
        Assert.Contains("labelsTr/hip_002.nii.gz: label value 4 not in dataset.json labels {0,1}", run.Error);
        Assert.False(Directory.Exists(dir.File("hip")));
        Assert.Equal(["src"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }
}
