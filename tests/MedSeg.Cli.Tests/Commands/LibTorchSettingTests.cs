namespace MedSeg.Cli.Tests.Commands;

/// <summary>
/// MEDSEG_LIBTORCH as a user sets it: the real <c>medseg</c> process with the variable in its environment. The positive
/// case (the NuGet CPU libtorch loaded through the variable trains a tiny run) needs a natives-free build and runs in
/// deploy/check-medseg-publish.sh on the published folder.
/// </summary>
public class LibTorchSettingTests
{
    private const string Debian = "/usr/lib/python3/dist-packages/torch/lib";

    [Fact]
    public async Task Another_Libtorch_Version_Fails_Before_Any_Work_Naming_Both_Versions()
    {
        Assert.True(File.Exists(Path.Combine(Debian, "libtorch.so")), $"Debian python3-torch is not installed ({Debian}); deploy/setup.sh installs it");
        var dir = CliRunner.TempDir();
        try
        {
            var run = Path.Combine(dir, "run");
            var (code, output) = await MedSegAsync(Debian, "train", "fdsl", "--out", run, "--spec", "none.json", "--steps", "1");
            Assert.Equal(2, code);
            Assert.Contains("MEDSEG_LIBTORCH", output);
            Assert.Contains("1.13", output);
            Assert.Contains("needs libtorch 2.10.0", output);
            Assert.Contains("pip install torch==2.10.0", output);
            Assert.False(Directory.Exists(run), "a refused start must leave no run folder");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task Help_Still_Prints_With_A_Bad_Setting()
    {
        var (code, output) = await MedSegAsync("/nonexistent/torch/lib", "--help");
        Assert.Equal(0, code);
        Assert.Contains("no such folder", output);
        Assert.Contains("train", output);
    }

    [Fact]
    public async Task A_Build_With_NuGet_Natives_Refuses_A_Site_Libtorch_Naming_The_Fix()
    {
        var nuget = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native");
        var (code, output) = await MedSegAsync(nuget, "train", "fdsl", "--out", Path.Combine(Path.GetTempPath(), "never-" + Guid.NewGuid().ToString("N")), "--steps", "1");
        Assert.Equal(2, code);
        Assert.Contains("carries its own libtorch", output);
        Assert.Contains("TorchBackend=none", output);
    }

    private static Task<(int Code, string Output)> MedSegAsync(string libtorch, params string[] args) =>
        MedSegProcess.RunAsync(args, new Dictionary<string, string?> { ["MEDSEG_LIBTORCH"] = libtorch }, TimeSpan.FromMinutes(2));
}
