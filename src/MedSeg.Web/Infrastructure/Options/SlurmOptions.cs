namespace MedSeg.Web.Infrastructure.Options;

/// <summary>
/// The Slurm backend (section <c>Slurm</c>): how the portal reaches the cluster's command line, what a run may ask for
/// (the site's allowed values, each with an upper bound) and how a compute node starts the worker. Runs go to Slurm when
/// <c>Training:Backend</c> is <c>Slurm</c> or the run asks for it. See README "Running on a Slurm cluster".
/// </summary>
public sealed class SlurmOptions
{
    public const string SectionName = "Slurm";

    /// <summary>
    /// Words put before every Slurm command (<c>sbatch</c>, <c>squeue</c>, ...): empty = run them here; e.g.
    /// <c>["ssh", "-o", "BatchMode=yes", "login-node"]</c> to run them on a login node, or <c>["sudo", "-u", "labuser"]</c>
    /// to submit as another account. Default empty.
    /// </summary>
    public List<string> CommandPrefix { get; set; } = [];

    /// <summary>Extra environment for the Slurm commands run here (e.g. <c>SLURM_CONF</c> of a test cluster). Default none.</summary>
    public Dictionary<string, string> Environment { get; set; } = [];

    /// <summary>Offer "The lab's Slurm cluster" in the run form even while <c>Training:Backend</c> is Local. Default false.</summary>
    public bool Offered { get; set; }

    /// <summary>Partitions a run may be sent to; the first is the default. Default <c>["debug"]</c>.</summary>
    public List<string> Partitions { get; set; } = ["debug"];

    /// <summary>GPUs a run asks for by default (<c>--gres=gpu:N</c>; 0 = no gres line). Default 0.</summary>
    public int DefaultGpus { get; set; }

    /// <summary>Most GPUs one run may ask for. Default 8.</summary>
    public int MaxGpus { get; set; } = 8;

    /// <summary>CPUs per run (<c>--cpus-per-task</c>); also the worker's torch threads. Default 2.</summary>
    public int DefaultCpus { get; set; } = 2;

    /// <summary>Most CPUs one run may ask for. Default 64.</summary>
    public int MaxCpus { get; set; } = 64;

    /// <summary>Memory per run in GiB (<c>--mem</c>); 0 = the partition's default. Default 0.</summary>
    public int DefaultMemoryGb { get; set; }

    /// <summary>Most memory one run may ask for, GiB. Default 512.</summary>
    public int MaxMemoryGb { get; set; } = 512;

    /// <summary>Time limit per job by default. Default 4 h.</summary>
    public TimeSpan DefaultTimeLimit { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Longest time limit a run may ask for (Slurm's partition limit may be lower: then sbatch refuses, named). Default 7 days.</summary>
    public TimeSpan MaxTimeLimit { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The command that starts the worker on a compute node, before <c>worker run …</c>: e.g.
    /// <c>/opt/medseg/medseg</c> or <c>dotnet /shared/medseg/medseg.dll</c>. Default <c>medseg</c> (on the node's PATH).
    /// </summary>
    public string WorkerCommand { get; set; } = "medseg";

    /// <summary>
    /// The portal's address as the compute nodes reach it (the worker posts progress there), e.g.
    /// <c>http://portal.lab.internal:5000</c>. Required for the Slurm backend; null = the first address Kestrel listens on.
    /// </summary>
    public string? PortalUrl { get; set; }

    /// <summary>Lines put into every batch script before the worker starts (e.g. <c>module load dotnet</c>). Default none.</summary>
    public List<string> SetupLines { get; set; } = [];

    /// <summary>Extra <c>#SBATCH</c> options, one per entry without the prefix (e.g. <c>--account=lab</c>, <c>--qos=normal</c>). Default none.</summary>
    public List<string> ExtraOptions { get; set; } = [];

    /// <summary>How often the one poller reads every job's state (<c>squeue</c>). Default 5 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for one Slurm command. Default 30 s.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
