using System.Runtime.InteropServices;

namespace MedSeg.Training.Optimization;

/// <summary>
/// Process-wide native settings for libtorch on Linux, applied by <see cref="Configure"/> before libtorch loads
/// (the first line of the CLI's and the portal's entry points):
/// <list type="bullet">
/// <item>OpenMP waits passively (<c>OMP_WAIT_POLICY=PASSIVE</c>): libgomp's threads otherwise spin at every barrier,
/// which on a shared machine burns the core another process needs and stretches steps several-fold.</item>
/// <item>OpenMP threads default to the CPUs this process may use (<c>OMP_NUM_THREADS</c> = <see cref="Environment.ProcessorCount"/>,
/// which honours affinity and container CPU limits; libgomp counts the host's CPUs).</item>
/// <item>glibc malloc (set before start by <see cref="MallocTunablesRestart"/>, which adds transparent huge pages, else
/// by mallopt here): at most two arenas and a fixed mmap threshold of 1 MiB, so every tensor buffer of 1 MiB and more is
/// mapped and unmapped on its own and returns to the system when freed. glibc's default raises the threshold to 32 MiB
/// after the first large free, after which activations land in per-thread heaps that fragment and grow step after step.</item>
/// </list>
/// Variables a user has set win (setenv does not overwrite; glibc's MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_,
/// MALLOC_TRIM_THRESHOLD_ and GLIBC_TUNABLES' glibc.malloc.* skip the matching mallopt). <c>MEDSEG_NATIVE_TUNING=off</c> turns all of it off (the
/// benchmarks' "before" figures). The environment is changed with libc's setenv, because .NET's
/// Environment.SetEnvironmentVariable does not reach native getenv on Unix.
/// </summary>
public static class NativeRuntime
{
    public const string SwitchVariable = "MEDSEG_NATIVE_TUNING";

    private const int MTrimThreshold = -1, MMmapThreshold = -3, MArenaMax = -8;
    // Also the values MallocTunablesRestart puts in GLIBC_TUNABLES.
    internal const int MmapThresholdBytes = 1 << 20;
    internal const int TrimThresholdBytes = 64 << 20;
    internal const int ArenaMax = 2;
    private static int _configured;
    private const string TunablesShown = "malloc: GLIBC_TUNABLES (yours)";

    /// <summary>False when <c>MEDSEG_NATIVE_TUNING=off</c>: libtorch's and glibc's own defaults stay.</summary>
    public static bool Enabled =>
        !string.Equals(Environment.GetEnvironmentVariable(SwitchVariable), "off", StringComparison.OrdinalIgnoreCase);

    /// <summary>What <see cref="Configure"/> did, for logs and benchmark headers.</summary>
    public static string Description { get; private set; } = "not configured";

    /// <summary>Applies the settings once; call before anything touches TorchSharp (later calls do nothing).</summary>
    public static void Configure()
    {
        if (Interlocked.Exchange(ref _configured, 1) == 1) return;
        if (!Enabled) { Description = $"native tuning off ({SwitchVariable}=off): libtorch and glibc defaults"; return; }
        if (!OperatingSystem.IsLinux()) { Description = "native tuning: not Linux, defaults kept"; return; }
        try
        {
            SetDefault("OMP_WAIT_POLICY", "PASSIVE");
            SetDefault("OMP_NUM_THREADS", Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var parts = new List<string>();
            bool restarted = MallocTunablesRestart.Applied;
            bool malloc = Malloc("MALLOC_ARENA_MAX", MArenaMax, ArenaMax, $"malloc arenas ≤ {ArenaMax}", parts, restarted)
                          & Malloc("MALLOC_MMAP_THRESHOLD_", MMmapThreshold, MmapThresholdBytes, $"mmap threshold {MmapThresholdBytes >> 20} MiB", parts, restarted)
                          & Malloc("MALLOC_TRIM_THRESHOLD_", MTrimThreshold, TrimThresholdBytes, null, parts, restarted);
            if (restarted) parts.Add("huge pages (GLIBC_TUNABLES at start)");
            else if (Environment.GetEnvironmentVariable(MallocTunablesRestart.MarkerVariable) is { } why && why.StartsWith("failed", StringComparison.Ordinal))
                parts.Add($"no huge pages (restart {why})");
            Description = $"OMP_WAIT_POLICY={Environment.GetEnvironmentVariable("OMP_WAIT_POLICY")}, "
                          + $"OMP_NUM_THREADS={Environment.GetEnvironmentVariable("OMP_NUM_THREADS")}, "
                          + (malloc ? string.Join(", ", parts) : "mallopt refused (not glibc?)");
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Description = $"native tuning unavailable ({e.GetType().Name})";
        }
    }

    /// <summary>
    /// Hands memory glibc holds but no longer uses back to the system (malloc_trim); cheap enough to call after each
    /// training step or inference pass. Does nothing when tuning is off or not on Linux.
    /// </summary>
    public static void ReleaseFreedMemory()
    {
        if (!Enabled || !OperatingSystem.IsLinux()) return;
        try { MallocTrim(0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    /// <summary>
    /// One mallopt, unless the user chose the value through glibc's own variable (read by glibc at start-up, which a
    /// mallopt would silently override) or any glibc.malloc tunable: e.g. MALLOC_MMAP_THRESHOLD_=33554432 trades the
    /// flat memory for faster steps (a 1 MiB threshold maps, unmaps and re-faults every large activation each step).
    /// </summary>
    private static bool Malloc(string variable, int param, int value, string? shown, List<string> parts, bool restarted)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } yours)
        {
            parts.Add($"{variable}={yours} (yours)");
            return true;
        }
        if (!restarted && Environment.GetEnvironmentVariable("GLIBC_TUNABLES")?.Contains("glibc.malloc.", StringComparison.Ordinal) == true)
        {
            if (!parts.Contains(TunablesShown)) parts.Add(TunablesShown);
            return true;
        }
        if (shown is not null) parts.Add(shown);
        // Also after the restart: glibc cuts GLIBC_TUNABLES in the environment to its first entry while parsing it, so a
        // child process (a Slurm worker started from the portal) inherits only the huge pages.
        return Mallopt(param, value) == 1;
    }

    private static void SetDefault(string name, string value)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) return;
        Environment.SetEnvironmentVariable(name, value); // the managed copy (what .NET code reads)
        if (SetEnv(name, value, 0) != 0) throw new InvalidOperationException($"setenv({name}) failed");
    }

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int SetEnv(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int param, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
