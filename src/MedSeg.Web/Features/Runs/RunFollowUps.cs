using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Training.FineTune;
using MedSeg.Web.Features.Downstream;
using Microsoft.EntityFrameworkCore;

namespace MedSeg.Web.Features.Runs;

/// <summary>
/// Runs that wait for another run: a fine-tune created Paused with a <see cref="RunEventKinds.WaitingForRun"/> event (the
/// second stage of "Initialise with LWI, then train") is queued when the run it starts from (its <c>init run:…</c>)
/// completes. The worker that finishes the first run calls <see cref="QueueWaitingAsync"/>; a failed or cancelled first
/// run leaves the second Paused, with its event saying what it waits for.
/// </summary>
public static class RunFollowUps
{
    /// <summary>Queues (tracked; the caller saves) the runs waiting for <paramref name="completed"/>; returns how many.</summary>
    public static async Task<int> QueueWaitingAsync(MedSegDbContext db, TrainingRun completed, DateTime now, CancellationToken ct)
    {
        var waitingIds = await db.RunEvents.AsNoTracking().Where(e => e.Kind == RunEventKinds.WaitingForRun)
            .Select(e => e.RunId).Distinct().ToListAsync(ct);
        if (waitingIds.Count == 0) return 0;
        var candidates = await db.TrainingRuns.Where(r => waitingIds.Contains(r.Id) && r.Status == TrainingRunStatus.Paused
            && r.Method == TrainingMethods.FineTune && r.LabId == completed.LabId).ToListAsync(ct);
        var init = new InitSource(InitKind.Run, completed.RunFolder);
        var position = (await db.TrainingRuns.MaxAsync(r => (long?)r.QueuePosition, ct) ?? 0) + 1;
        var queued = 0;
        foreach (var run in candidates)
        {
            InitSource runInit;
            try { runInit = InitSource.Parse(FineTuneRunConfig.Read(run.ConfigJson, $"run {run.Id}").Init); }
            catch (ArgumentException) { continue; }
            if (runInit != init) continue;
            run.QueuePosition = position++;
            RunLifecycle.Transition(db, run, TrainingRunStatus.Queued, RunEventKinds.Queued,
                $"Queued: run {completed.Id} '{completed.Name}', which it starts from, completed", 0, now);
            queued++;
        }
        return queued;
    }
}
