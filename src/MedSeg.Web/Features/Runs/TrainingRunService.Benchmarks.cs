using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Runs;

public sealed partial class TrainingRunService
{
    /// <summary>
    /// Queues fine-tune runs in one transaction (a benchmark's cells: thousands at once) at the end of the queue, each with
    /// its "queued" event; <paramref name="attach"/> adds rows that refer to the new runs (the benchmark cells) before the commit.
    /// </summary>
    internal async Task<IReadOnlyList<TrainingRun>> QueueFineTunesAsync(PortalUser user,
        IReadOnlyList<(string Name, string Model, string ConfigJson, long Steps)> runs, string tags,
        Action<Data.MedSegDbContext, IReadOnlyList<TrainingRun>> attach, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = DateTime.UtcNow;
        var position = await db.TrainingRuns.MaxAsync(r => (long?)r.QueuePosition, ct) ?? 0;
        var rows = runs.Select(r => RunLifecycle.Admit(new TrainingRun
        {
            Name = r.Name, Method = TrainingMethods.FineTune, ModelName = r.Model, ConfigJson = r.ConfigJson,
            QueuePosition = ++position, OwnerId = user.Id, LabId = user.LabId, Tags = tags, CreatedAt = now, TotalSteps = r.Steps,
        }, TrainingRunStatus.Queued)).ToList();
        db.TrainingRuns.AddRange(rows);
        await db.SaveChangesAsync(ct);
        foreach (var run in rows)
        {
            run.RunFolder = DataPaths.RelativeRunPath(run.Id);
            RunLifecycle.Record(db, run.Id, RunEventKinds.Queued, $"Queued by {user.Name} ({tags})", null, now);
        }
        attach(db, rows);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        queue.Signal();
        foreach (var run in rows) await feed.PublishStatusAsync(run);
        return rows;
    }
}
