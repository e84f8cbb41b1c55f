using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Features.Datasets;

/// <summary>Dataset operations for pages and endpoints, with the lab/ownership rules of <see cref="PortalUser"/>.</summary>
public sealed class DatasetService(
    IDbContextFactory<MedSegDbContext> dbFactory,
    GenerationQueue queue,
    DatasetProgressNotifier notifier,
    DataPaths paths,
    IEnumerable<IDatasetWriter> writers,
    IOptions<GenerationOptions> options)
{
    public async Task<List<Dataset>> ListAsync(PortalUser user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Datasets.AsNoTracking().Include(d => d.Owner)
            .Where(d => d.LabId == user.LabId).OrderByDescending(d => d.Id).ToListAsync(ct);
    }

    /// <summary>The dataset if it exists and the user's lab may read it; otherwise null (callers answer 404).</summary>
    public async Task<Dataset?> FindAsync(PortalUser user, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dataset = await db.Datasets.AsNoTracking().Include(d => d.Owner).SingleOrDefaultAsync(d => d.Id == id, ct);
        return dataset is not null && user.CanRead(dataset) ? dataset : null;
    }

    public async Task<bool> NameExistsAsync(PortalUser user, string name, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Datasets.AnyAsync(d => d.LabId == user.LabId && d.Name == name, ct);
    }

    /// <summary>Queues a new dataset. Throws <see cref="ArgumentException"/> naming the field for bad input.</summary>
    public async Task<Dataset> CreateAsync(PortalUser user, string name, string kind, string specJson, long seed, int count, CancellationToken ct = default)
    {
        if (!user.CanWrite) throw new ArgumentException("Role: viewers cannot create datasets; ask your lab's PI for the member role.", nameof(user));
        name = name.Trim();
        if (name.Length is 0 or > 200) throw new ArgumentException($"Name must be 1..200 characters, got '{name}'.", nameof(name));
        if (count < 1 || count > options.Value.MaxVolumeCount)
            throw new ArgumentException($"Volume count must be in 1..{options.Value.MaxVolumeCount}, got {count}.", nameof(count));
        if (await NameExistsAsync(user, name, ct)) throw new ArgumentException($"A dataset named '{name}' already exists.", nameof(name));
        // The form validates too, but the service is the gate every caller passes.
        var writer = writers.FirstOrDefault(w => w.Kind == kind) ?? throw new ArgumentException($"Unknown dataset kind '{kind}'.", nameof(kind));
        var specErrors = writer.ValidateSpec(specJson);
        if (specErrors.Count > 0) throw new ArgumentException($"Invalid {kind} spec: {string.Join("; ", specErrors)}", nameof(specJson));

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = DateTime.UtcNow;
        var dataset = new Dataset
        {
            LabId = user.LabId, Name = name, Kind = kind, SpecJson = specJson, Seed = seed,
            VolumeCountRequested = count, OwnerId = user.Id, Status = DatasetStatus.Queued,
            CreatedUtc = now, UpdatedUtc = now, Path = "",
        };
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(ct);
        // The folder is named by id, known only after the insert.
        dataset.Path = DataPaths.RelativeDatasetPath(dataset.Id);
        await db.SaveChangesAsync(ct);
        queue.Signal();
        notifier.Publish(DatasetProgress.FromRow(dataset));
        return dataset;
    }

    /// <summary>Cancels a queued or running generation. Returns false when the user may not or nothing was active.</summary>
    public async Task<bool> CancelAsync(PortalUser user, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dataset = await db.Datasets.SingleOrDefaultAsync(d => d.Id == id, ct);
        if (dataset is null || !user.CanManage(dataset)) return false;
        var now = DateTime.UtcNow;
        var dequeued = await db.Datasets.Where(d => d.Id == id && d.Status == DatasetStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DatasetStatus.Cancelled).SetProperty(d => d.UpdatedUtc, now), ct);
        if (dequeued == 1)
        {
            dataset.Status = DatasetStatus.Cancelled;
            notifier.Publish(DatasetProgress.FromRow(dataset));
            return true;
        }
        if (dataset.Status == DatasetStatus.Running)
        {
            queue.RequestCancel(id);
            return true;
        }
        return false;
    }

    /// <summary>Queues an interrupted, cancelled or failed dataset again; the writer skips volumes already on disk.</summary>
    public async Task<bool> ResumeAsync(PortalUser user, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dataset = await db.Datasets.SingleOrDefaultAsync(d => d.Id == id, ct);
        if (dataset is null || !user.CanManage(dataset)) return false;
        if (dataset.Status is not (DatasetStatus.Interrupted or DatasetStatus.Cancelled or DatasetStatus.Failed)) return false;
        queue.ClearCancel(id);
        dataset.Status = DatasetStatus.Queued;
        dataset.Error = null;
        dataset.UpdatedUtc = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        queue.Signal();
        notifier.Publish(DatasetProgress.FromRow(dataset));
        return true;
    }

    /// <summary>Deletes an inactive dataset's row and folder.</summary>
    public async Task<bool> DeleteAsync(PortalUser user, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dataset = await db.Datasets.SingleOrDefaultAsync(d => d.Id == id, ct);
        if (dataset is null || !user.CanManage(dataset) || dataset.IsActive) return false;
        var directory = paths.DatasetDirectory(dataset);
        db.Datasets.Remove(dataset);
        await db.SaveChangesAsync(ct);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        return true;
    }
}
