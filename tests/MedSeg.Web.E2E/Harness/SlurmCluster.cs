using MedSeg.Testing;
using System.Diagnostics;

namespace MedSeg.Web.E2E.Harness;

/// <summary>
/// The real single-node Slurm of <c>deploy/slurm/start.sh</c> for the Slurm tests: its slurm.conf comes from
/// <c>$MEDSEG_TEST_SLURM_CONF</c> (set by deploy/test.sh), else start.sh is run (it reuses a running cluster). The tests
/// are skipped only when <c>MEDSEG_TEST_SLURM=0</c>. <see cref="RunAsync"/> runs Slurm's own commands (scontrol, squeue,
/// scancel) as an administrator would, against the same cluster.
/// </summary>
public static class SlurmCluster
{
    public const string SwitchVariable = "MEDSEG_TEST_SLURM";
    public const string ConfVariable = "MEDSEG_TEST_SLURM_CONF";

    public static bool Disabled => Environment.GetEnvironmentVariable(SwitchVariable) == "0";

    private static readonly Lazy<Task<string>> Conf = new(StartAsync);

    /// <summary>The cluster's slurm.conf (the cluster is started if needed).</summary>
    public static Task<string> ConfPathAsync() => Conf.Value;

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(ConfVariable) is { Length: > 0 } conf) return conf;
        var (code, stdout, stderr) = await ExecAsync(Path.Combine(RepositoryRoot.Path, "deploy", "slurm", "start.sh"), [], null);
        if (code != 0) throw new InvalidOperationException($"deploy/slurm/start.sh failed ({code}): {stderr}\n(set {SwitchVariable}=0 to skip the Slurm tests)");
        return stdout.Trim().Split('\n')[^1];
    }

    /// <summary>Runs a Slurm command against the test cluster; returns its exit code and output.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string command, params string[] args) =>
        await ExecAsync(command, args, await ConfPathAsync());

    private static async Task<(int, string, string)> ExecAsync(string command, string[] args, string? conf)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        if (conf is not null) info.Environment["SLURM_CONF"] = conf;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>A test against the real Slurm cluster; skipped (with the reason) only when MEDSEG_TEST_SLURM=0.</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (SlurmCluster.Disabled) Skip = $"{SlurmCluster.SwitchVariable}=0: the Slurm tests are switched off (deploy/slurm/start.sh starts the test cluster).";
    }
}

/// <summary>
/// A portal whose runs go to the test cluster (<c>Training:Backend=Slurm</c>): the worker is the built CLI
/// (<c>dotnet medseg.dll worker run …</c>), Slurm is polled every second, partitions <c>debug</c>, <c>long</c> and
/// <c>gpu</c> (the last one missing from the cluster: sbatch refuses it). Slurm's commands go through
/// <c>Harness/slurm-command-wrapper.sh</c> (the configurable command prefix), which a test switches to hold new jobs
/// (<see cref="HoldJobs"/>) or to keep sbatch's answer back (<see cref="DelaySbatchAnswer"/>).
/// </summary>
public sealed class SlurmPortalFixture : PortalFixture
{
    /// <summary>The wrapper's switch files (one folder per fixture).</summary>
    public string Switches { get; } = Directory.CreateTempSubdirectory("medseg-slurm-switches-").FullName;

    /// <summary>While on, sbatch submits held jobs (JobHeldUser) until <c>scontrol release</c>.</summary>
    public void HoldJobs(bool on) => Switch("hold-jobs", on);

    /// <summary>While on, sbatch submits the job but its answer waits; <see cref="SubmittedWhileDelayed"/> is the job id then.</summary>
    public void DelaySbatchAnswer(bool on)
    {
        File.Delete(Path.Combine(Switches, "delay-answer.job"));
        Switch("delay-answer", on);
    }

    /// <summary>The id sbatch answered while its answer was kept back, or null when none was submitted yet.</summary>
    public string? SubmittedWhileDelayed() =>
        File.Exists(Path.Combine(Switches, "delay-answer.job")) ? File.ReadAllText(Path.Combine(Switches, "delay-answer.job")).Trim().Split(';')[0] : null;

    private void Switch(string name, bool on)
    {
        var path = Path.Combine(Switches, name);
        if (on) File.WriteAllText(path, "");
        else File.Delete(path);
    }

    protected override async Task<PortalProcessOptions> OptionsAsync() => new() { Settings = await SettingsAsync(Switches), StartTimeout = StartTimeout };

    /// <summary>Longest wait for a (re)start: longer than the harness's default, as a restart under load has taken over 90 s.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The settings of a portal on the test cluster (also for a test's own portal processes).</summary>
    public static async Task<Dictionary<string, string>> SettingsAsync(string switches) => new()
    {
            ["Training:Backend"] = "Slurm",
            // A killed portal's Slurm poller lease lapses soon, so its restart (or another portal) polls again quickly.
            ["Training:LeaseDuration"] = "00:00:05",
            // Short runs still get a few system samples from their worker.
            ["Training:SystemSampleInterval"] = "00:00:00.5",
            ["Slurm:CommandPrefix:0"] = "/bin/sh",
            ["Slurm:CommandPrefix:1"] = Path.Combine(RepositoryRoot.Path, "tests", "MedSeg.Web.E2E", "Harness", "slurm-command-wrapper.sh"),
            ["Slurm:Environment:MEDSEG_TEST_SLURM_SWITCHES"] = switches,
            ["Slurm:Environment:SLURM_CONF"] = await SlurmCluster.ConfPathAsync(),
            ["Slurm:WorkerCommand"] = $"dotnet {MedSegCli.Dll}",
            ["Slurm:PollInterval"] = "00:00:01",
            ["Slurm:Partitions:0"] = "debug",
            ["Slurm:Partitions:1"] = "long",
            ["Slurm:Partitions:2"] = "gpu",
            ["Slurm:DefaultCpus"] = "1",
            ["Slurm:DefaultTimeLimit"] = "00:10:00",
    };

    public override Task InitializeAsync() => SlurmCluster.Disabled ? Task.CompletedTask : base.InitializeAsync();

    public override async Task DisposeAsync()
    {
        if (!SlurmCluster.Disabled) await base.DisposeAsync();
        Directory.Delete(Switches, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class SlurmPortalCollection : ICollectionFixture<SlurmPortalFixture>
{
    public const string Name = "slurm e2e";
}
