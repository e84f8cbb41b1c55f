using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// The allowed changes of <see cref="TrainingRun.Status"/>, written as code, and the one place a tracked run row changes
/// status (<see cref="Transition"/>, which also records the <see cref="RunEvent"/>). Conditional bulk updates (claiming a
/// queued run, stopping one that is not running) guard themselves with <see cref="Sources"/>, so a row can only move
/// along an edge of this table whatever another process did meanwhile.
/// <code>
/// Queued      → Running (claimed) · Paused · Cancelled
/// Running     → Completed · Failed · Paused · Cancelled · Queued (server stopping, worker lost: again from its checkpoint)
///               · Interrupted (worker lost before the first checkpoint)
/// Paused      → Queued (resumed) · Cancelled
/// Interrupted → Queued (resumed) · Cancelled
/// Failed      → Queued (resumed)
/// Cancelled   → Queued (resumed)
/// Completed   → (final)
/// </code>
/// A new run starts Queued (<see cref="Admit"/>; an external run reported through the ingest API starts Running).
/// Every <see cref="RunEvent"/> is made here too (<see cref="Record"/>, <see cref="Event"/>), so a run's timeline and its
/// status have one author; a test checks that no other type writes either.
/// </summary>
public static class RunLifecycle
{
    private static readonly IReadOnlyDictionary<TrainingRunStatus, TrainingRunStatus[]> Next = new Dictionary<TrainingRunStatus, TrainingRunStatus[]>
    {
        [TrainingRunStatus.Queued] = [TrainingRunStatus.Running, TrainingRunStatus.Paused, TrainingRunStatus.Cancelled],
        [TrainingRunStatus.Running] =
        [
            TrainingRunStatus.Completed, TrainingRunStatus.Failed, TrainingRunStatus.Paused, TrainingRunStatus.Cancelled,
            TrainingRunStatus.Queued, TrainingRunStatus.Interrupted,
        ],
        [TrainingRunStatus.Paused] = [TrainingRunStatus.Queued, TrainingRunStatus.Cancelled],
        [TrainingRunStatus.Interrupted] = [TrainingRunStatus.Queued, TrainingRunStatus.Cancelled],
        [TrainingRunStatus.Failed] = [TrainingRunStatus.Queued],
        [TrainingRunStatus.Cancelled] = [TrainingRunStatus.Queued],
        [TrainingRunStatus.Completed] = [],
    };

    /// <summary>True when a run may go from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool IsAllowed(TrainingRunStatus from, TrainingRunStatus to) =>
        Next.TryGetValue(from, out var targets) && targets.Contains(to);

    /// <summary>Every status from which <paramref name="to"/> may be reached, optionally leaving some out (for update guards).</summary>
    public static TrainingRunStatus[] Sources(TrainingRunStatus to, params TrainingRunStatus[] except) =>
        [.. Next.Where(n => n.Value.Contains(to) && !except.Contains(n.Key)).Select(n => n.Key).Order()];

    /// <summary>
    /// A new row's first status: Queued for a portal run, Paused for a run that waits for another run to complete (the
    /// fine-tune of "Initialise with LWI, then train"; <see cref="RunFollowUps"/> queues it), or Running for an external run
    /// (it trains elsewhere and reports its steps through the ingest API). Any other first status throws.
    /// </summary>
    public static TrainingRun Admit(TrainingRun row, TrainingRunStatus first)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (first is not (TrainingRunStatus.Queued or TrainingRunStatus.Paused or TrainingRunStatus.Running))
            throw new InvalidOperationException($"A new run starts Queued, Paused or Running, not {first}.");
        row.Status = first;
        return row;
    }

    /// <summary>
    /// Records something that happened to a run without changing its status (queued, started, resumed, priority changed,
    /// moved, a pause or cancel requested, reported); saved with the caller's <c>SaveChanges</c>.
    /// </summary>
    public static RunEvent Record(MedSegDbContext db, int runId, string eventKind, string message, long? step, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(db);
        var e = Event(runId, eventKind, message, step, at);
        db.RunEvents.Add(e);
        return e;
    }

    /// <summary>An event not added to any context yet (the live buffer writes validation and checkpoint events in batches).</summary>
    public static RunEvent Event(int runId, string eventKind, string message, long? step, DateTime at) =>
        new() { RunId = runId, At = at, Kind = eventKind, Step = step, Message = message };

    /// <summary>
    /// Moves a tracked row to <paramref name="to"/> and adds the event saying why (saved with the caller's
    /// <c>SaveChanges</c>). A change the table does not allow throws: it would be a bug in the caller, not user input.
    /// </summary>
    public static RunEvent Transition(MedSegDbContext db, TrainingRun row, TrainingRunStatus to, string eventKind, string message, long? step, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(row);
        if (!IsAllowed(row.Status, to))
            throw new InvalidOperationException($"Run {row.Id}: a {row.Status} run cannot become {to}.");
        row.Status = to;
        return Record(db, row.Id, eventKind, message, step, at);
    }

    /// <summary>
    /// Queued → Running for this worker in one conditional UPDATE, so of several workers exactly one claims the run.
    /// True when this call claimed it. <paramref name="leaseUntil"/> null: no lease (a Slurm job holds the run, not a process).
    /// </summary>
    public static async Task<bool> ClaimAsync(MedSegDbContext db, int id, string device, string worker, DateTime? leaseUntil, DateTime now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var claimed = await db.TrainingRuns.Where(r => r.Id == id && r.Status == TrainingRunStatus.Queued)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, TrainingRunStatus.Running)
                .SetProperty(r => r.Device, device)
                .SetProperty(r => r.StartedAt, r => r.StartedAt ?? now)
                .SetProperty(r => r.FinishedAt, (DateTime?)null)
                .SetProperty(r => r.ErrorText, (string?)null)
                .SetProperty(r => r.RequestedAction, (RunControlAction?)null)
                .SetProperty(r => r.WorkerName, worker)
                .SetProperty(r => r.LeaseExpiresAt, leaseUntil), ct);
        return claimed == 1;
    }

    /// <summary>
    /// A run that is not training (queued, paused, interrupted) → <paramref name="to"/> (Paused or Cancelled) at once, in one
    /// UPDATE guarded by the table, so a run claimed meanwhile is not touched; the event is saved too. True when changed.
    /// </summary>
    public static async Task<bool> StopIdleAsync(MedSegDbContext db, int id, TrainingRunStatus to, string eventKind, string message, long? step,
        DateTime now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var from = Sources(to, except: TrainingRunStatus.Running);
        var changed = await db.TrainingRuns.Where(r => r.Id == id && from.Contains(r.Status))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, to)
                .SetProperty(r => r.FinishedAt, r => to == TrainingRunStatus.Cancelled ? now : r.FinishedAt), ct);
        if (changed != 1) return false;
        Record(db, id, eventKind, message, step, now);
        await db.SaveChangesAsync(ct);
        return true;
    }
}
