using MedSeg.Core.Benchmarks;
using MedSeg.Data.Entities;

namespace MedSeg.Web.Features.Benchmarks;

/// <summary>State of one grid cell as the portal shows it.</summary>
public enum GridState { Queued, Running, Done, Failed }

/// <summary>One cell of a protocol's grid: its key, row label, fine-tune run and state.</summary>
public sealed record GridCell(string MethodKey, string MethodLabel, string Dataset, LabelBudget Budget, long Seed, int RunId, GridState State)
{
    /// <summary>The cell's run page (relative to the base).</summary>
    public string Href => $"runs/{RunId}";
}

/// <summary>What the benchmark page shows: the protocol version, its grid and the scores of the finished cells.</summary>
/// <param name="Configs">Each cell run's flattened config by cell name, for the HTML report's config diff (empty unless asked for).</param>
public sealed record BenchmarkView(BenchmarkProtocolEntry Entry, Training.Benchmarks.BenchmarkProtocol Protocol, IReadOnlyList<GridCell> Cells,
    IReadOnlyList<BenchmarkScore> Scores, IReadOnlyList<string> MethodOrder, IReadOnlyList<ReportRun> Configs)
{
    public int Count(GridState state) => Cells.Count(c => c.State == state);

    public bool Active => Cells.Any(c => c.State is GridState.Queued or GridState.Running);

    public IReadOnlyList<string> Metrics => Scores.Select(s => s.Metric).Distinct()
        .OrderBy(m => Protocol.Metrics.IndexOf(m) is var i && i >= 0 ? i : int.MaxValue).ToList();

    public static GridState StateOf(TrainingRunStatus status) => status switch
    {
        TrainingRunStatus.Completed => GridState.Done,
        TrainingRunStatus.Running => GridState.Running,
        TrainingRunStatus.Failed or TrainingRunStatus.Cancelled or TrainingRunStatus.Interrupted => GridState.Failed,
        _ => GridState.Queued, // queued, paused: waits in the queue
    };
}
