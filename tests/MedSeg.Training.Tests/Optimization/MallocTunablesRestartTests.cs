using MedSeg.Training.Optimization;

namespace MedSeg.Training.Tests.Optimization;

/// <summary>
/// What the start-up restart puts in GLIBC_TUNABLES (a user's glibc variables win), and that a child's environment can
/// be handed back without it (a benchmark's "before" child must run with glibc's defaults). The restart itself is
/// tested on the real process in MedSeg.Cli.Tests (NativeTuningSettingTests).
/// </summary>
public class MallocTunablesRestartTests
{
    [Fact]
    public void Adds_huge_pages_and_every_setting_the_user_has_not_set()
    {
        var all = MallocTunablesRestart.TunablesToAdd(_ => null).ToList();
        Assert.Equal(["glibc.malloc.hugetlb=1", "glibc.malloc.arena_max=2", "glibc.malloc.mmap_threshold=1048576", "glibc.malloc.trim_threshold=67108864"], all);

        var users = new Dictionary<string, string?> { ["MALLOC_MMAP_THRESHOLD_"] = "33554432", ["MALLOC_ARENA_MAX"] = "" };
        var some = MallocTunablesRestart.TunablesToAdd(users.GetValueOrDefault).ToList();
        Assert.DoesNotContain(some, t => t.StartsWith("glibc.malloc.mmap_threshold", StringComparison.Ordinal));
        Assert.Contains("glibc.malloc.arena_max=2", some); // empty counts as unset, as glibc reads it
    }

    [Theory]
    [InlineData("glibc.malloc.hugetlb=1:glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=1048576:glibc.malloc.trim_threshold=67108864", null)]
    [InlineData("glibc.cpu.hwcaps=-AVX512F:glibc.malloc.hugetlb=1:glibc.malloc.arena_max=2", "glibc.cpu.hwcaps=-AVX512F")]
    [InlineData("glibc.rtld.nns=8::glibc.malloc.hugetlb=1", "glibc.rtld.nns=8")]
    public void A_child_gets_back_the_environment_before_the_restart(string tunables, string? left)
    {
        var environment = new Dictionary<string, string?>
        {
            [MallocTunablesRestart.MarkerVariable] = "done", ["GLIBC_TUNABLES"] = tunables, ["PATH"] = "/usr/bin",
        };
        MallocTunablesRestart.RemoveFrom(environment);
        Assert.False(environment.ContainsKey(MallocTunablesRestart.MarkerVariable));
        Assert.Equal(left, environment.GetValueOrDefault("GLIBC_TUNABLES"));
        Assert.Equal("/usr/bin", environment["PATH"]);
    }

    [Theory]
    [InlineData("off")]
    [InlineData(null)]
    public void Without_a_restart_here_a_users_tunables_are_left_alone(string? marker)
    {
        var environment = new Dictionary<string, string?> { ["GLIBC_TUNABLES"] = "glibc.malloc.hugetlb=1:glibc.malloc.arena_max=2" };
        if (marker is not null) environment[MallocTunablesRestart.MarkerVariable] = marker;
        MallocTunablesRestart.RemoveFrom(environment);
        Assert.Equal("glibc.malloc.hugetlb=1:glibc.malloc.arena_max=2", environment["GLIBC_TUNABLES"]);
        Assert.Equal(marker, environment.GetValueOrDefault(MallocTunablesRestart.MarkerVariable));
    }
}
