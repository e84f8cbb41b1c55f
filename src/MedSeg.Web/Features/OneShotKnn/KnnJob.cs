using MedSeg.Training.Evaluation.OneShot;

namespace MedSeg.Web.Features.OneShotKnn;

public enum KnnJobState { Queued, Running, Done, Failed }

/// <summary>
/// One "One-shot kNN" evaluation of a pretraining run, tracked while it is queued and running: progress counts the
/// volumes described (atlases, then targets). Its result is the report in the run's knn/ folder, written only when complete.
/// </summary>
public sealed class KnnJob(int id, string labId, int runId, string runName, string dataset, OneShotKnnOptions options)
{
    public int Id { get; } = id;
    public string LabId { get; } = labId;
    public int RunId { get; } = runId;
    public string RunName { get; } = runName;
    /// <summary>The dataset as the lab names it ("downstream/NAME").</summary>
    public string Dataset { get; } = dataset;
    /// <summary>The evaluation's settings (Dataset: the absolute folder).</summary>
    public OneShotKnnOptions Options { get; } = options;
    public DateTime QueuedAt { get; } = DateTime.UtcNow;
    /// <summary>The run's folder (absolute), where the report goes.</summary>
    public required string RunDir { get; init; }
    /// <summary>The file that keeps the job queued across restarts (<see cref="KnnEvaluations.QueueFolder"/>); deleted when it is over.</summary>
    public string? QueueFile { get; init; }

    public volatile KnnJobState State = KnnJobState.Queued;
    public volatile int Done;
    public volatile int Total;
    public volatile string Message = "queued";
    public volatile string? Error;
    /// <summary>The report file's stem when done (<see cref="OneShotKnnStore.Stem"/>).</summary>
    public string Stem => OneShotKnnStore.Stem(Options);

    public bool Active => State is KnnJobState.Queued or KnnJobState.Running;

    public double Fraction => Total > 0 ? Math.Clamp(Done / (double)Total, 0, 1) : 0;
}
