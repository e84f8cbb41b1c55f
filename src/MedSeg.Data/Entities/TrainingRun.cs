namespace MedSeg.Data.Entities;

/// <summary>
/// One training run queued or run by the portal: its configuration, where it stands and what it produced.
/// Step-by-step history lives in <see cref="RunStepMetric"/>, life-cycle events in <see cref="RunEvent"/>.
/// </summary>
public class TrainingRun
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Training method, see <see cref="TrainingMethods"/> (today always <see cref="TrainingMethods.Fdsl"/>).</summary>
    public string Method { get; set; } = TrainingMethods.Fdsl;

    /// <summary>Network name as the model factory knows it (e.g. "SwinUNETR", "BasicUNet").</summary>
    public string ModelName { get; set; } = "";

    /// <summary>The <c>FdslOptions</c> as JSON (camelCase). Paths inside (output, dataset, spec) are set by the service at run time.</summary>
    public string ConfigJson { get; set; } = "{}";

    /// <summary>Training data: a generated dataset of the lab; null when <see cref="SpecJson"/> generates samples on the fly.</summary>
    public int? DatasetId { get; set; }
    public Dataset? Dataset { get; set; }

    /// <summary>AVS-DB spec JSON for on-the-fly data (seed in the config); null when <see cref="DatasetId"/> is set.</summary>
    public string? SpecJson { get; set; }

    public TrainingRunStatus Status { get; set; } = TrainingRunStatus.Queued;

    /// <summary>Higher runs first. Only the lab's PI may raise it above 0.</summary>
    public int Priority { get; set; }

    /// <summary>Order among runs of equal priority, lower first; new runs go to the end.</summary>
    public long QueuePosition { get; set; }

    public string OwnerId { get; set; } = "";
    public ApplicationUser? Owner { get; set; }

    /// <summary>Lab that owns the run (see <see cref="Labs"/>).</summary>
    public string LabId { get; set; } = Labs.Default;

    /// <summary>Free-form comma-separated tags for filtering the leaderboard.</summary>
    public string? Tags { get; set; }

    /// <summary>Device the run trains on ("cpu", "cuda:0"); set when it starts.</summary>
    public string? Device { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    /// <summary>Completed optimiser steps (1-based count).</summary>
    public long CurrentStep { get; set; }
    public long TotalSteps { get; set; }

    public double? LastLoss { get; set; }
    public double? BestValDice { get; set; }
    public double? FinalValDice { get; set; }

    /// <summary>Checkpoint folders relative to the run folder (e.g. <c>checkpoints/best</c>).</summary>
    public string? BestCheckpointPath { get; set; }
    public string? LastCheckpointPath { get; set; }

    /// <summary>Run folder relative to the storage data root: <c>runs/&lt;id&gt;</c>.</summary>
    public string RunFolder { get; set; } = "";

    /// <summary>Why the run failed or was interrupted, if it did.</summary>
    public string? ErrorText { get; set; }

    /// <summary>
    /// Pause or cancel asked of the run while it is Running; null otherwise. The service executing the run polls it, so
    /// the request reaches runs trained by another process; it is cleared when the run stops or is claimed again.
    /// </summary>
    public RunControlAction? RequestedAction { get; set; }

    /// <summary>
    /// The training service executing the run (<c>Training:WorkerName</c>, default the machine name) while it is Running;
    /// it keeps <see cref="LeaseExpiresAt"/> in the future. Another service takes a Running run over only once its lease
    /// has expired (the worker died), so several training services can share one database.
    /// </summary>
    public string? WorkerName { get; set; }

    /// <summary>Until when <see cref="WorkerName"/> holds the run; renewed by its heartbeat (UTC).</summary>
    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>
    /// Where the run executes (<see cref="RunBackends"/>): <c>Local</c>, the portal's own training service (default), or
    /// <c>Slurm</c>, a batch job on the lab's cluster whose worker reports over HTTP.
    /// </summary>
    public string Backend { get; set; } = RunBackends.Local;

    /// <summary>What a cluster run asks Slurm for (partition, GPUs, CPUs, memory, time limit) as JSON; null for Local runs.</summary>
    public string? ClusterRequestJson { get; set; }

    /// <summary>Slurm job id of the newest submission; null before the first one (and for Local runs).</summary>
    public string? ClusterJobId { get; set; }

    /// <summary>The job's Slurm state as last polled (PENDING, RUNNING, COMPLETED, CANCELLED, FAILED, TIMEOUT, ...).</summary>
    public string? ClusterJobState { get; set; }

    /// <summary>Slurm's reason for the state (e.g. "Resources", "BeginTime", "JobLaunchFailure"); null for "None".</summary>
    public string? ClusterJobReason { get; set; }

    /// <summary>The node the job runs (or ran) on.</summary>
    public string? ClusterNode { get; set; }

    /// <summary>SHA-256 (hex) of the worker token of the current job; null when no worker may report (revoked at the end).</summary>
    public string? WorkerTokenHash { get; set; }

    /// <summary>
    /// A completed fine-tune run's downstream dataset (its <c>datasetDir</c>, '/'-separated, no trailing '/'), recorded
    /// once from its config when its evaluation.json is first read for the downstream leaderboard; "" when the run has no
    /// readable evaluation (left off the board); null until then (and for every other run).
    /// </summary>
    public string? DownstreamDataset { get; set; }

    /// <summary>Mean foreground Dice of the fine-tune run's evaluation (test split, else validation); null when not a number.</summary>
    public double? DownstreamMeanDice { get; set; }

    /// <summary>Longest <see cref="Notes"/> accepted (characters).</summary>
    public const int MaxNotesLength = 20_000;

    /// <summary>
    /// The run's notes as Markdown (what was tried, why it failed): edited by its owner or the lab's PI, rendered without
    /// raw HTML. Null when there are none.
    /// </summary>
    public string? Notes { get; set; }

    /// <summary>The run this one was cloned from, if any (no FK: the original may be deleted).</summary>
    public int? ClonedFromRunId { get; set; }

    /// <summary>True while the service may still change the row on its own (queued or running).</summary>
    public bool IsActive => Status is TrainingRunStatus.Queued or TrainingRunStatus.Running;

    /// <summary>True when nothing more happens to the run unless a user resumes or re-queues it.</summary>
    public bool IsFinished => Status is TrainingRunStatus.Completed or TrainingRunStatus.Failed or TrainingRunStatus.Cancelled;
}
