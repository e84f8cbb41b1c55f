using System.Diagnostics;

namespace MedSeg.Cli.Tests.Commands;

/// <summary>
/// The native tuning as a user overrides it: the real <c>medseg</c> process (settings are process-wide and applied once
/// at start-up) with glibc's own malloc variables in its environment; the memory bench's header says what applied.
/// </summary>
public class NativeTuningSettingTests
{
    [Fact]
    public async Task Defaults_Apply_When_Nothing_Is_Set()
    {
        var (code, output) = await MemoryBenchAsync(new());
        Assert.True(code == 0, output);
        Assert.Contains("OMP_WAIT_POLICY=PASSIVE", output);
        Assert.Contains("malloc arenas ≤ 2, mmap threshold 1 MiB", output);
    }

    [Fact]
    public async Task A_Users_Mmap_Threshold_Wins_And_The_Rest_Still_Applies()
    {
        var (code, output) = await MemoryBenchAsync(new() { ["MALLOC_MMAP_THRESHOLD_"] = "33554432" });
        Assert.True(code == 0, output);
        Assert.Contains("malloc arenas ≤ 2, MALLOC_MMAP_THRESHOLD_=33554432 (yours)", output);
        Assert.DoesNotContain("mmap threshold 1 MiB", output);
        Assert.Contains("OMP_WAIT_POLICY=PASSIVE", output);
    }

    [Fact]
    public async Task Glibc_Malloc_Tunables_Leave_Every_Malloc_Setting_To_The_User()
    {
        var (code, output) = await MemoryBenchAsync(new() { ["GLIBC_TUNABLES"] = "glibc.malloc.arena_max=4" });
        Assert.True(code == 0, output);
        Assert.Contains("malloc: GLIBC_TUNABLES (yours)", output);
        Assert.DoesNotContain("malloc arenas ≤ 2", output);
        Assert.DoesNotContain("mmap threshold 1 MiB", output);
    }

    private static async Task<(int Code, string Output)> MemoryBenchAsync(Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(MedSegCommand).Assembly.Location);
        foreach (var a in new[] { "bench", "train", "--memory", "--model", "BasicUNet", "--size", "16", "--steps", "10", "--classes", "2", "--device", "cpu" })
            info.ArgumentList.Add(a);
        foreach (var name in new[] { "MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES", "OMP_WAIT_POLICY", "MEDSEG_NATIVE_TUNING" })
            info.Environment.Remove(name); // the test machine's own settings must not decide the outcome
        foreach (var (name, value) in environment) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + "\n" + await stderr);
    }
}
