namespace MedSeg.Cli.Tests.Commands;

/// <summary>
/// The native tuning as a user overrides it: the real <c>medseg</c> process (settings are process-wide and applied once
/// at start-up) with glibc's own malloc variables in its environment; the memory bench's header says what applied. By
/// default the process restarts itself with glibc tunables (huge pages); the header can only say so from the new image.
/// </summary>
public class NativeTuningSettingTests
{
    [Theory]
    [InlineData(null, null, "OMP_WAIT_POLICY=PASSIVE, OMP_NUM_THREADS=", "malloc arenas ≤ 2, mmap threshold 1 MiB, huge pages (GLIBC_TUNABLES at start)", null)]
    [InlineData("MEDSEG_MALLOC_RESTART", "off", "OMP_WAIT_POLICY=PASSIVE", "malloc arenas ≤ 2, mmap threshold 1 MiB", "huge pages")]
    [InlineData("MALLOC_MMAP_THRESHOLD_", "33554432", "OMP_WAIT_POLICY=PASSIVE", "malloc arenas ≤ 2, MALLOC_MMAP_THRESHOLD_=33554432 (yours)", "mmap threshold 1 MiB")]
    [InlineData("GLIBC_TUNABLES", "glibc.malloc.arena_max=4", "OMP_WAIT_POLICY=PASSIVE", "malloc: GLIBC_TUNABLES (yours)", "malloc arenas ≤ 2")]
    public async Task The_Users_Malloc_Variables_Win_And_The_Rest_Still_Applies(string? variable, string? value, string openMp, string malloc, string? notApplied)
    {
        var (code, output) = await MemoryBenchAsync(variable is null ? [] : new() { [variable] = value! });
        Assert.True(code == 0, output);
        Assert.Contains(openMp, output);
        Assert.Contains(malloc, output);
        if (notApplied is not null) Assert.DoesNotContain(notApplied, output);
    }

    private static Task<(int Code, string Output)> MemoryBenchAsync(Dictionary<string, string> environment)
    {
        // The test machine's own settings must not decide the outcome: they are removed, then the case's are set.
        var applied = new[] { "MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES", "OMP_WAIT_POLICY", "MEDSEG_NATIVE_TUNING", "MEDSEG_MALLOC_RESTART" }
            .ToDictionary(name => name, name => environment.GetValueOrDefault(name));
        return MedSegProcess.RunAsync(["bench", "train", "--memory", "--model", "BasicUNet", "--size", "16", "--steps", "10", "--classes", "2", "--device", "cpu"],
            applied, TimeSpan.FromMinutes(3));
    }
}
