using MedSeg.Core.Generators.AvsDb;
using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Features.Datasets;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;

namespace MedSeg.Web.Tests.Features.Datasets;

public sealed class GenerationLifecycleTests
{
    [Fact]
    public async Task StartUp_RowLeftRunning_IsMarkedInterrupted_AndResumeSkipsExistingVolumes()
    {
        await using var factory = new PortalFactory();
        var spec = DatasetTestHelpers.TinySpec();
        // A previous server wrote volumes 0 and 1 of 4 and died: seed that state before the portal starts.
        var folder = Path.Combine(factory.DataRoot, "datasets", "1");
        AvsDbDatasetWriter.Write(spec, 11, 2, folder);
        var volume0 = new AvsDbLayout(folder).ImagePath(0);
        var volume0Written = File.GetLastWriteTimeUtc(volume0);
        await SeedRunningDatasetAsync(factory, spec, folder);

        var user = await TestAccounts.RegisterAsync(factory, "pi@resume.test"); // starts the host
        var interrupted = await DatasetTestHelpers.WaitForAsync(factory, 1, d => d.Status == DatasetStatus.Interrupted);
        Assert.Contains("server stopped", interrupted.Error, StringComparison.OrdinalIgnoreCase);

        var events = new System.Collections.Concurrent.ConcurrentQueue<DatasetProgress>();
        using var subscription = factory.Services.GetRequiredService<DatasetProgressNotifier>().Subscribe(1, p =>
        {
            events.Enqueue(p);
            return Task.CompletedTask;
        });
        using (var scope = factory.Services.CreateScope())
        {
            // The seeded row's owner is the registered PI's lab; the PI may resume any lab dataset.
            var resumed = await scope.ServiceProvider.GetRequiredService<DatasetService>()
                .ResumeAsync(await DatasetTestHelpers.PortalUserAsync(factory, user.Email), 1);
            Assert.True(resumed);
        }
        var done = await DatasetTestHelpers.WaitForCompletionAsync(factory, 1);

        Assert.True(done.Status == DatasetStatus.Completed, $"resumed dataset ended {done.Status}: {done.Error}");
        Assert.Equal(4, done.VolumeCountDone);
        Assert.Null(done.Error);
        // Progress counts what is on disk: it never drops below the two volumes kept from the first run.
        var running = events.Where(e => e.Status == DatasetStatus.Running).ToList();
        Assert.NotEmpty(running);
        Assert.All(running, e => Assert.InRange(e.VolumesDone, 2, 4));
        Assert.Equal(volume0Written, File.GetLastWriteTimeUtc(volume0)); // skipped, not rewritten
        Assert.True(new AvsDbLayout(folder).IsComplete(3));
    }

    [Fact]
    public async Task Cancel_RunningGeneration_StopsEarlyAsCancelled_ListingOnlyCompleteVolumes()
    {
        await using var factory = new PortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@cancel.test");
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        // The most the portal allows: small volumes are written at ~1,000/s on an idle machine, so a few hundred could all
        // be done before the cancel lands (seen in CI); ten thousand cannot.
        const int count = 10_000;
        var created = await DatasetTestHelpers.CreateAsync(factory, user, "long", count, DatasetTestHelpers.TinySpec(48) with { ShapesPerVolume = 20 });
        await DatasetTestHelpers.WaitForAsync(factory, created.Id, d => d.Status == DatasetStatus.Running);

        using (var scope = factory.Services.CreateScope())
            Assert.True(await scope.ServiceProvider.GetRequiredService<DatasetService>().CancelAsync(user, created.Id));
        var cancelled = await DatasetTestHelpers.WaitForAsync(factory, created.Id, d => d.Status != DatasetStatus.Running);

        Assert.Equal(DatasetStatus.Cancelled, cancelled.Status);
        Assert.True(cancelled.VolumeCountDone < count, $"all {count} volumes were written before the cancel took effect");
        var folder = Path.Combine(factory.DataRoot, cancelled.Path);
        var writer = factory.Services.GetRequiredService<IEnumerable<IDatasetWriter>>().Single();
        // Only complete volumes are listed, and no temporary file is mistaken for one.
        Assert.All(writer.ListCompleteVolumes(folder), v => Assert.True(File.Exists(v.ImagePath) && File.Exists(v.LabelPath)));
    }

    [Fact]
    public async Task WriterError_MarksDatasetFailedWithTheReason()
    {
        await using var factory = new PortalFactory();
        var account = await TestAccounts.RegisterAsync(factory, "pi@fail.test");
        var user = await DatasetTestHelpers.PortalUserAsync(factory, account.Email);
        // The first dataset's folder already holds another spec: the writer refuses to mix them.
        var folder = Path.Combine(factory.DataRoot, DataPaths.RelativeDatasetPath(1));
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "spec.json"), "{ \"VolumeSize\": 16 }");

        var created = await DatasetTestHelpers.CreateAsync(factory, user, "clash", count: 2);
        var failed = await DatasetTestHelpers.WaitForCompletionAsync(factory, created.Id);

        Assert.Equal(1, created.Id);
        Assert.Equal(DatasetStatus.Failed, failed.Status);
        Assert.Contains("spec.json", failed.Error);
        Assert.Null(failed.FinishedUtc);
    }

    [Fact]
    public async Task StartUp_AfterHardKill_RecountsCompleteVolumesFromDisk()
    {
        await using var factory = new PortalFactory();
        var spec = DatasetTestHelpers.TinySpec();
        // Killed hard: 3 volumes complete on disk, a 4th with its image but no label yet, and a row whose last persisted
        // count (1) lags the folder.
        var folder = Path.Combine(factory.DataRoot, "datasets", "1");
        AvsDbDatasetWriter.Write(spec, 11, 4, folder);
        var layout = new AvsDbLayout(folder);
        File.Delete(layout.LabelPath(3));
        Assert.False(layout.IsComplete(3));
        await SeedRunningDatasetAsync(factory, spec, folder, volumesDone: 1, requested: 6);

        await TestAccounts.RegisterAsync(factory, "pi@recount.test"); // starts the host, whose start-up recovery recounts
        var interrupted = await DatasetTestHelpers.WaitForAsync(factory, 1, d => d.Status == DatasetStatus.Interrupted);

        Assert.Equal(3, interrupted.VolumeCountDone);
        Assert.Equal(new AvsDbDatasetRunner(Microsoft.Extensions.Options.Options.Create(new GenerationOptions()))
            .ListCompleteVolumes(folder).Count, interrupted.VolumeCountDone);
        Assert.Equal(new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length), interrupted.BytesOnDisk);
    }

    private static async Task SeedRunningDatasetAsync(PortalFactory factory, AvsDbSpec spec, string folder, int volumesDone = 2, int requested = 4)
    {
        var options = new DbContextOptionsBuilder<SqliteMedSegDbContext>().UseSqlite($"Data Source={factory.DatabaseFile}").Options;
        await using var db = new SqliteMedSegDbContext(options);
        await db.Database.MigrateAsync();
        var owner = new ApplicationUser { UserName = "ghost@resume.test", Email = "ghost@resume.test", SecurityStamp = Guid.NewGuid().ToString() };
        db.Users.Add(owner);
        var now = DateTime.UtcNow;
        db.Datasets.Add(new Dataset
        {
            Id = 1, Name = "crashed", SpecJson = spec.ToJson(), Seed = 11, VolumeCountRequested = requested, VolumeCountDone = volumesDone,
            Status = DatasetStatus.Running, Path = Path.GetRelativePath(factory.DataRoot, folder), Owner = owner,
            CreatedUtc = now, StartedUtc = now, UpdatedUtc = now,
        });
        await db.SaveChangesAsync();
    }
}
