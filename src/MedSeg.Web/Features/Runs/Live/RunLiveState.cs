using MedSeg.Data.Entities;

namespace MedSeg.Web.Features.Runs.Live;

/// <summary>
/// What is known of one run training now, shared by the three live parts: <see cref="RunLiveBuffer"/> (adds steps,
/// events and figures), <see cref="RunMetricsWriter"/> (commits them) and <see cref="RunProgressFeed"/> (sends them).
/// Fields under <see cref="Gate"/>.
/// </summary>
internal sealed class RunLiveState(int runId, long startStep, long totalSteps, string? runFolder, string? checkpoint, double? best)
{
    public int RunId { get; } = runId;
    /// <summary>Absolute run folder, for the log tail; null when there is none (synthetic runs).</summary>
    public string? RunFolder { get; } = runFolder;
    public Lock Gate { get; } = new();

    // The run's figures (buffer writes; writer and feed read).
    public TrainingRunStatus Status { get; set; } = TrainingRunStatus.Running;
    public string? Error { get; set; }
    public long LastStep { get; set; } = startStep;
    public long TotalSteps { get; set; } = totalSteps;
    public double? EtaSeconds { get; set; }
    public double? LastLoss { get; set; }
    public double? BestValDice { get; set; } = best;
    public string? Checkpoint { get; set; } = checkpoint;
    public string? BestCheckpoint { get; set; }

    // Not yet committed (the writer removes the committed prefix).
    public List<RunStepPoint> Unflushed { get; } = [];
    public List<RunEvent> Events { get; } = [];
    public SemaphoreSlim FlushGate { get; } = new(1, 1);
    public long FlushedAt { get; set; } = Environment.TickCount64;

    // Not yet sent (the feed takes them).
    public List<RunStepPoint> PendingLive { get; set; } = [];
    public SemaphoreSlim EmitGate { get; } = new(1, 1);
    public string? SentCheckpoint { get; set; } = checkpoint;
    public long LogLength { get; set; } = -1;
    public bool EmitScheduled { get; set; }
    public long LastEmitAt { get; set; } = long.MinValue / 2;
}
