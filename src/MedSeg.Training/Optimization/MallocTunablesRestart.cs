using System.Reflection;
using System.Runtime.InteropServices;

namespace MedSeg.Training.Optimization;

/// <summary>
/// Starts the program's process image again (execve: same PID, same arguments and descriptors, so Slurm's and a
/// supervisor's signals still reach it) with glibc's malloc tunables in <c>GLIBC_TUNABLES</c>, which glibc reads only at
/// start-up: NativeRuntime's malloc settings (those whose glibc variable the user has not set) and <c>glibc.malloc.hugetlb=1</c>:
/// malloc asks for transparent huge pages on its mappings (madvise), so libtorch's large step buffers, mapped fresh every
/// step under the 1 MiB mmap threshold, fault in 2 MiB at a time instead of 4 KiB (SwinUNETR f12 64³ on this machine:
/// 8.4 M → 1.1 M page faults over 7 steps, kernel time 24.8 → 10.7 s, the same resident memory).
/// glibc 2.36 cuts the variable in the environment to its first entry while parsing it (all entries still apply:
/// <c>ld.so --list-tunables</c>), so huge pages come first and NativeRuntime's mallopt calls still run afterwards.
/// Not restarted: other systems, <c>MEDSEG_NATIVE_TUNING=off</c>, a user's own <c>glibc.malloc.*</c> tunables,
/// <c>MEDSEG_MALLOC_RESTART=off</c>, and a host that is not the program itself (a test host running the portal's entry point).
/// </summary>
public static class MallocTunablesRestart
{
    /// <summary>Set in the restarted image (<c>done</c>), or by a user to skip the restart (<c>off</c>).</summary>
    public const string MarkerVariable = "MEDSEG_MALLOC_RESTART";

    /// <summary>glibc's own variable for each setting (a user's wins) and the tunable that sets what NativeRuntime's mallopt would.</summary>
    private static readonly (string UserVariable, string Tunable)[] Settings =
    [
        ("MALLOC_ARENA_MAX", $"glibc.malloc.arena_max={NativeRuntime.ArenaMax}"),
        ("MALLOC_MMAP_THRESHOLD_", $"glibc.malloc.mmap_threshold={NativeRuntime.MmapThresholdBytes}"),
        ("MALLOC_TRIM_THRESHOLD_", $"glibc.malloc.trim_threshold={NativeRuntime.TrimThresholdBytes}"),
    ];

    private const string HugePages = "glibc.malloc.hugetlb=1";

    /// <summary>Whether this process is the restarted image (its malloc runs with huge pages and the settings).</summary>
    public static bool Applied =>
        Environment.GetEnvironmentVariable(MarkerVariable) == "done" && Ours(Environment.GetEnvironmentVariable("GLIBC_TUNABLES")).Contains(HugePages);

    /// <summary>The tunables the restart adds: huge pages, and each setting whose glibc variable the user has not set.</summary>
    internal static IEnumerable<string> TunablesToAdd(Func<string, string?> variable) =>
        Settings.Where(s => string.IsNullOrEmpty(variable(s.UserVariable))).Select(s => s.Tunable).Prepend(HugePages);

    private static List<string> Ours(string? tunables) =>
        [.. (tunables ?? "").Split(':').Where(t => t == HugePages || Settings.Any(s => s.Tunable == t))];

    /// <summary>
    /// Call first in the entry point of <paramref name="program"/>. Returns when no restart is due, or when execve failed
    /// (then the mallopt settings apply alone); otherwise never returns.
    /// </summary>
    public static void RestartIfDue(Assembly program)
    {
        if (!OperatingSystem.IsLinux() || !NativeRuntime.Enabled) return;
        if (Environment.GetEnvironmentVariable(MarkerVariable) is { Length: > 0 }) return;
        if (Assembly.GetEntryAssembly() != program) return;
        var tunables = Environment.GetEnvironmentVariable("GLIBC_TUNABLES");
        if (tunables?.Contains("glibc.malloc.", StringComparison.Ordinal) == true) return;
        string[] argv;
        try { argv = File.ReadAllText("/proc/self/cmdline").Split('\0')[..^1]; }
        catch (IOException) { return; }
        if (argv.Length == 0) return;

        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        environment["GLIBC_TUNABLES"] = string.Join(':', TunablesToAdd(Environment.GetEnvironmentVariable).Prepend(tunables).Where(t => !string.IsNullOrEmpty(t)));
        environment[MarkerVariable] = "done";
        string?[] envp = [.. environment.Select(e => $"{e.Key}={e.Value}"), null];
        string?[] args = [.. argv, null];
        Execve("/proc/self/exe", args, envp);
        // Still here: execve failed (e.g. a seccomp policy); carry on with mallopt alone, and say so in the settings.
        Environment.SetEnvironmentVariable(MarkerVariable, $"failed (errno {Marshal.GetLastPInvokeError()})");
    }

    /// <summary>
    /// Removes from a child's environment what the restart added (the marker, these tunables), so the child decides for
    /// itself: a benchmark's "before" child (<c>MEDSEG_NATIVE_TUNING=off</c>) then runs with glibc's own defaults.
    /// </summary>
    public static void RemoveFrom(IDictionary<string, string?> environment)
    {
        if (!environment.TryGetValue(MarkerVariable, out var marker) || marker != "done") return; // nothing added here
        environment.Remove(MarkerVariable);
        if (!environment.TryGetValue("GLIBC_TUNABLES", out var tunables) || tunables is null) return;
        var ours = Ours(tunables);
        var rest = string.Join(':', tunables.Split(':').Where(t => t.Length > 0 && !ours.Contains(t)));
        if (rest.Length == 0) environment.Remove("GLIBC_TUNABLES");
        else environment["GLIBC_TUNABLES"] = rest;
    }

    [DllImport("libc", EntryPoint = "execve", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Execve(string path, string?[] argv, string?[] envp);
}
