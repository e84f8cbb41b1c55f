using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedSeg.Training.Worker;

/// <summary>
/// The messages between a cluster worker (<c>medseg worker run</c> on a compute node) and the portal's worker API
/// (<c>/api/worker/runs/{id}/start|steps|finish</c>, header <see cref="TokenHeader"/> = the run's worker token).
/// The run folder is on storage both see; everything else travels as these messages.
/// </summary>
public static class WorkerProtocol
{
    /// <summary>The header carrying the per-run worker token (not <c>Authorization</c>: it is no user's credential).</summary>
    public const string TokenHeader = "X-MedSeg-Worker-Token";

    /// <summary>Environment variable the worker reads its token from when neither --token nor --token-file is given.</summary>
    public const string TokenVariable = "MEDSEG_WORKER_TOKEN";

    /// <summary>The worker token's file name inside the run folder (0600), written at submission.</summary>
    public const string TokenFileName = "worker.token";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

/// <summary>Sent by a worker as it begins: which job on which node, with which device.</summary>
public sealed record WorkerStart(string? JobId, string? Node, string Device);

/// <summary>
/// The portal's answer to <see cref="WorkerStart"/>: what to train. <paramref name="OptionsJson"/> is the method's options
/// record ready for its trainer (run folder, dataset and init paths absolute, resume on); <paramref name="Method"/> is
/// <c>FDSL</c> (with <paramref name="SpecJson"/> for on-the-fly samples) or <c>FineTune</c>. The worker sends a process
/// reading every <paramref name="SystemSampleSeconds"/> (the portal's sampling interval; 0 = none, null = its default).
/// </summary>
public sealed record WorkerLaunch(int RunId, string Method, string OptionsJson, string? SpecJson, string RunFolder, long StartStep,
    double? SystemSampleSeconds = null);

/// <summary>
/// One completed step as the worker reports it; <paramref name="Checkpoint"/> relative to the run folder;
/// <paramref name="System"/> a reading of the worker process every few seconds (null on the other steps, and from older workers).
/// </summary>
public sealed record WorkerStep(
    long Step,
    long TotalSteps,
    double Loss,
    double LearningRate,
    double SamplesPerSecond,
    double DataWaitFraction,
    long MemoryBytes,
    double? EtaSeconds,
    IReadOnlyList<double?>? ValidationDice,
    double? ValidationMeanDice,
    string? Checkpoint,
    WorkerSystemReading? System = null);

/// <summary>
/// The worker process on its node: CPU share (all the node's cores this job may use = 100), resident memory, and its
/// CUDA device's memory in use (null on the CPU or without NVML). The portal keeps these as the run's system samples.
/// </summary>
public sealed record WorkerSystemReading(double CpuPercent, long ResidentBytes, double? GpuPercent, long? GpuMemoryBytes);

/// <summary>The portal's answer to a batch of steps: <c>pause</c> or <c>cancel</c> when a user asked for it, else null.</summary>
public sealed record WorkerControl(string? Action)
{
    public const string Pause = "pause";
    public const string Cancel = "cancel";
}

/// <summary>
/// Sent once when the trainer has ended. <paramref name="Outcome"/>: <see cref="Completed"/>, <see cref="Stopped"/> (at a
/// checkpoint: a pause or cancel from the portal, or a signal from Slurm named in <paramref name="StopCause"/>) or
/// <see cref="Failed"/> (with <paramref name="Error"/>). Checkpoints relative to the run folder.
/// </summary>
public sealed record WorkerFinish(
    string Outcome,
    long? CompletedSteps,
    long? TotalSteps,
    string? LastCheckpoint,
    string? BestCheckpoint,
    double? LastValDice,
    string? Error,
    string? StopCause)
{
    public const string Completed = "completed";
    public const string Stopped = "stopped";
    public const string Failed = "failed";
}
