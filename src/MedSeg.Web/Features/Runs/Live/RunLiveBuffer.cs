using System.Collections.Concurrent;
using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Web.Infrastructure.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedSeg.Web.Features.Runs.Live;

/// <summary>
/// The live buffer of running trainings. The trainer thread <see cref="Report"/>s every step (cheap: a list append under
/// a lock); the step goes to <see cref="RunProgressFeed"/> for the pages and stays here until
/// <see cref="RunMetricsWriter"/> has committed its row, so <see cref="HistoryAsync"/> (buffer first, then database)
/// never misses a step: see Runs/README.md for the catch-up protocol. The pages read <see cref="ChartHistoryAsync"/>
/// instead: the same order, but at most <see cref="TrainingOptions.ChartHistoryPoints"/> stored rows.
/// </summary>
public sealed class RunLiveBuffer(RunProgressFeed feed, IDbContextFactory<MedSegDbContext> dbFactory, IOptions<TrainingOptions> options)
{
    private readonly ConcurrentDictionary<int, RunLiveState> live = new();

    /// <summary>Starts buffering a run that continues after <paramref name="startStep"/> (its checkpoint, or 0).</summary>
    /// <param name="runFolder">Absolute run folder, for the log tail; null when there is none (synthetic runs).</param>
    public void BeginRun(int runId, long startStep, long totalSteps, string? runFolder, string? checkpoint, double? bestValDice)
    {
        var state = new RunLiveState(runId, startStep, totalSteps, runFolder, checkpoint, bestValDice);
        live[runId] = state;
        feed.Follow(state);
    }

    /// <summary>The newest step reported for a run this buffer tracks; null when it tracks none (not begun here).</summary>
    public long? TrackedStep(int runId)
    {
        if (!live.TryGetValue(runId, out var state)) return null;
        lock (state.Gate) return state.LastStep;
    }

    /// <summary>Buffers one completed step (called on the trainer thread, in step order).</summary>
    /// <param name="checkpoint">Checkpoint written at this step, relative to the run folder, if any.</param>
    public void Report(int runId, RunStepPoint point, long totalSteps, double? etaSeconds, string? checkpoint = null)
    {
        if (!live.TryGetValue(runId, out var state)) return;
        lock (state.Gate)
        {
            state.PendingLive.Add(point);
            state.Unflushed.Add(point);
            state.TotalSteps = totalSteps;
            state.EtaSeconds = etaSeconds;
            state.LastStep = point.Step;
            state.LastLoss = point.Loss;
            if (point.ValDice is double dice)
            {
                state.Events.Add(RunLifecycle.Event(runId, RunEventKinds.Validated, $"Validation Dice {dice:F4} at step {point.Step}", point.Step, point.At));
                if (state.BestValDice is null || dice > state.BestValDice) state.BestValDice = dice;
            }
            if (checkpoint is not null)
            {
                if (IsBest(checkpoint)) state.BestCheckpoint = checkpoint;
                else state.Checkpoint = checkpoint;
                state.Events.Add(RunLifecycle.Event(runId, RunEventKinds.Checkpointed, $"Checkpoint '{checkpoint}' at step {point.Step}", point.Step, point.At));
            }
        }
        feed.ScheduleEmit(state);
    }

    private static bool IsBest(string checkpoint) => Path.GetFileName(checkpoint.TrimEnd('/', '\\')) == "best";

    /// <summary>
    /// Stops tracking a run another worker has taken over (this one lost its lease): buffered steps are dropped, not
    /// written, and no status is published, so nothing here contradicts the new worker's rows.
    /// </summary>
    public void AbandonRun(int runId) => Remove(runId);

    /// <summary>Steps after <paramref name="afterStep"/> not yet committed to the database, in step order.</summary>
    public IReadOnlyList<RunStepPoint> Buffered(int runId, long afterStep)
    {
        if (!live.TryGetValue(runId, out var state)) return [];
        lock (state.Gate) return state.Unflushed.Where(p => p.Step > afterStep).ToList();
    }

    /// <summary>
    /// Every step after <paramref name="afterStep"/>: the buffer is read BEFORE the database, so a step flushed in
    /// between is found in the database and none falls between the two reads.
    /// </summary>
    public async Task<IReadOnlyList<RunStepPoint>> HistoryAsync(int runId, long afterStep, CancellationToken ct = default)
    {
        var buffered = Buffered(runId, afterStep);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.RunStepMetrics.AsNoTracking().Where(m => m.RunId == runId && m.Step > afterStep)
            .OrderBy(m => m.Step).ToListAsync(ct);
        var byStep = new SortedDictionary<long, RunStepPoint>();
        foreach (var row in stored) byStep[row.Step] = RunStepPoint.FromRow(row);
        foreach (var point in buffered) byStep[point.Step] = point;
        return [.. byStep.Values];
    }

    /// <summary>
    /// The steps after <paramref name="afterStep"/> as a chart needs them (the run pages): the buffer, then at most
    /// <see cref="TrainingOptions.ChartHistoryPoints"/> stored rows (<see cref="RunChartHistory"/>: the newest quarter raw
    /// and contiguous, validations, the older steps bucketed). Read in the same order as <see cref="HistoryAsync"/>, so the
    /// raw newest steps join the live messages without a gap.
    /// </summary>
    public async Task<IReadOnlyList<RunStepPoint>> ChartHistoryAsync(int runId, long afterStep, CancellationToken ct = default)
    {
        var buffered = Buffered(runId, afterStep);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await RunChartHistory.ReadAsync(db, runId, afterStep, options.Value.ChartHistoryPoints, ct);
        var byStep = new SortedDictionary<long, RunStepPoint>();
        foreach (var point in stored) byStep[point.Step] = point;
        foreach (var point in buffered) byStep[point.Step] = point;
        return [.. byStep.Values];
    }

    internal RunLiveState? Find(int runId) => live.GetValueOrDefault(runId);

    internal ICollection<RunLiveState> Runs => live.Values;

    internal void Remove(int runId)
    {
        live.TryRemove(runId, out _);
        feed.Unfollow(runId);
    }
}
