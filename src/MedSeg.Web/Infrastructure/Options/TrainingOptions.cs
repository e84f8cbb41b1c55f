namespace MedSeg.Web.Infrastructure.Options;

/// <summary>Co-hosted training service settings, bound from the <c>Training</c> section.</summary>
public sealed class TrainingOptions
{
    public const string SectionName = "Training";

    /// <summary>
    /// Where new runs execute unless a run asks otherwise: <c>Local</c> (this portal's training service, default) or
    /// <c>Slurm</c> (a batch job per run on the lab's cluster; section <c>Slurm</c>).
    /// </summary>
    public string Backend { get; set; } = MedSeg.Data.Entities.RunBackends.Local;

    /// <summary>When false this server trains nothing (runs stay queued for another server sharing the database). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Runs trained at once; null = one per CUDA device, or 1 on a CPU-only server. Default null.</summary>
    public int? MaxConcurrentRuns { get; set; }

    /// <summary>How often the queue is re-read without a local signal (rows queued by other processes). Default 2 s.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often the service reads pause / cancel requests of its running runs from the database (requests made through
    /// another process; this process's own requests act at once). Default 1 s.
    /// </summary>
    public TimeSpan ControlPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// This training service's name on the runs it executes (<c>TrainingRuns.WorkerName</c>); null = the machine name.
    /// Give each training service sharing one database its own name: at start-up a service takes back the Running runs
    /// recorded under its name at once (its own crash), those of other workers only when their lease has expired.
    /// </summary>
    public string? WorkerName { get; set; }

    /// <summary>
    /// How long a Running run stays held by its worker without a heartbeat (renewed every third of it). When it lapses —
    /// the worker machine died — another training service resumes the run from its checkpoint. Default 30 s.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Folder of a site libtorch 2.10.0 (a PyTorch install's <c>torch/lib</c>, with its CUDA) loaded at start-up instead of
    /// the NuGet natives; null = <c>MEDSEG_LIBTORCH</c>, else the NuGet natives. Read once by Program.cs before TorchSharp
    /// starts (<see cref="MedSeg.Training.Natives.LibTorchLoader"/>); a changed value needs a restart. Default null.
    /// </summary>
    public string? LibTorchPath { get; set; }

    /// <summary>The name this service records on its runs.</summary>
    public string EffectiveWorkerName => string.IsNullOrWhiteSpace(WorkerName) ? Environment.MachineName : WorkerName.Trim();

    /// <summary>Live progress is batched per run and pushed at most this often (≤ 10 messages/s per run). Default 100 ms.</summary>
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Buffered step metrics are written to the database at most this often. Default 500 ms.</summary>
    public TimeSpan MetricsFlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A training run's CPU, memory and GPU are sampled this often (<c>RunSystemSamples</c>; 0 = never). Default 5 s; a run
    /// keeps at most <see cref="MaxSystemSamplesPerRun"/> rows (then every other goes and it samples half as often).
    /// </summary>
    public TimeSpan SystemSampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Rows of system samples kept per run. Default 1,000.</summary>
    public int MaxSystemSamplesPerRun { get; set; } = 1000;

    /// <summary>
    /// Stored steps a run page reads for its charts, however long the run (<c>RunChartHistory</c>: the newest quarter raw,
    /// up to a quarter validations, the older steps bucketed into the rest). 100..50,000; default 4,000 (the charts
    /// draw at most 1,000 per curve after LTTB).
    /// </summary>
    public int ChartHistoryPoints { get; set; } = 4000;

    /// <summary>Lines of the run's log.txt sent with progress when it changed. Default 20.</summary>
    public int LogTailLines { get; set; } = 20;

    /// <summary>torch intra-op threads for CPU runs (the web server keeps the rest); null = libtorch default; never above Limits:MaxTorchThreads or the cores. Default null.</summary>
    public int? TorchThreads { get; set; }

    /// <summary>Fine-tune steps a benchmark protocol may ask for (runs themselves are bounded by Limits:MaxSteps). Default 1,000,000.</summary>
    public long MaxSteps { get; set; } = 1_000_000;
}
