using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MedSeg.Web.Features.Runs.Tracking;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Tests.Features.Runs.Tracking;

/// <summary>
/// System metrics while a run trains (real SQLite, the real <see cref="DeviceMonitor"/>): rows appear at the interval
/// with the process's CPU share and resident memory; a CUDA device on a machine without one gives null GPU fields and no
/// error; the rows of a run stay within the limit (every other one dropped); another lab cannot read them.
/// </summary>
public sealed class RunSystemSamplesTests : RunPageTestBase
{
    private RunSystemSamples Sampler(int max) => new(Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>(), new DeviceMonitor(),
        Options.Create(new TrainingOptions { SystemSampleInterval = TimeSpan.FromMilliseconds(20), MaxSystemSamplesPerRun = max }),
        NullLogger<RunSystemSamples>.Instance);

    [Theory]
    [InlineData("cpu")]
    [InlineData("cuda:0")] // no GPU here: sampled without GPU fields, no error
    public async Task Samples_are_stored_bounded_and_read_by_the_lab_only(string device)
    {
        await SeedAsync(pi: false, Run(1, "sampled", TrainingRunStatus.Running));
        var sampler = Sampler(max: 8);
        using var cts = new CancellationTokenSource();
        long step = 0;
        var sampling = sampler.SampleAsync(1, device, () => Interlocked.Increment(ref step), cts.Token);
        var owner = new PortalUser(OwnerId, "owner@runs.test", Labs.Default, IsPI: false);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Sample past the limit (8 rows) at least once, so the run's rows were thinned.
        while (Interlocked.Read(ref step) < 10)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"only {Interlocked.Read(ref step)} samples in a minute");
            await Task.Delay(50);
        }
        await cts.CancelAsync();
        await sampling; // ends quietly when the run stops

        var samples = (await sampler.ListAsync(owner, 1))!;
        Assert.InRange(samples.Count, 3, 8);
        Assert.All(samples, s => Assert.InRange(s.CpuPercent, 0, 100));
        Assert.All(samples, s => Assert.True(s.ResidentBytes > 10 << 20, $"resident {s.ResidentBytes} bytes"));
        Assert.All(samples, s => Assert.Null(s.GpuPercent));
        Assert.All(samples, s => Assert.Null(s.GpuMemoryBytes));
        Assert.True(samples.Zip(samples.Skip(1)).All(p => p.First.At <= p.Second.At && p.First.Step < p.Second.Step), "not in time order");
        Assert.True(step > samples.Count, $"{step} samples taken, {samples.Count} kept: nothing was thinned");
        Assert.Null(await sampler.ListAsync(owner with { LabId = "beta" }, 1));
        Assert.Empty((await sampler.ListAsync(owner, 1, afterId: samples[^1].Id))!);
    }

    [Fact]
    public async Task Thinning_keeps_the_newest_and_every_other_row()
    {
        await SeedAsync(pi: false, Run(1, "thinned", TrainingRunStatus.Running));
        var factory = Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var t0 = DateTime.UtcNow;
        db.RunSystemSamples.AddRange(Enumerable.Range(0, 5).Select(i => new RunSystemSample { RunId = 1, At = t0.AddSeconds(i), Step = i }));
        await db.SaveChangesAsync();
        Assert.Equal(2, await RunSystemSamples.ThinAsync(db, 1));
        Assert.Equal([0L, 2, 4], await db.RunSystemSamples.OrderBy(s => s.At).Select(s => s.Step).ToListAsync());
    }

    [Fact]
    public async Task A_cluster_workers_readings_are_kept_at_the_interval_bounded_and_clamped()
    {
        await SeedAsync(pi: false, Run(1, "on-slurm", TrainingRunStatus.Running));
        var sampler = new RunSystemSamples(Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>(), new DeviceMonitor(),
            Options.Create(new TrainingOptions { SystemSampleInterval = TimeSpan.FromSeconds(5), MaxSystemSamplesPerRun = 8 }),
            NullLogger<RunSystemSamples>.Instance);
        var owner = new PortalUser(OwnerId, "owner@runs.test", Labs.Default, IsPI: false);
        var t0 = new DateTime(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);

        await sampler.RecordAsync(1, 1, t0, 55.5, 300L << 20, null, null);
        await sampler.RecordAsync(1, 2, t0.AddSeconds(1), 60, 300L << 20, null, null); // too soon after the last: dropped
        await sampler.RecordAsync(1, 3, t0.AddSeconds(4.5), 250, -1, 140, 2L << 30); // a little early (batches) is on time; out-of-range values clamped
        var kept = (await sampler.ListAsync(owner, 1))!;
        Assert.Equal([1L, 3], kept.Select(s => s.Step));
        Assert.Equal(55.5, kept[0].CpuPercent, 3);
        Assert.Equal(100, kept[1].CpuPercent);
        Assert.Equal(0, kept[1].ResidentBytes);
        Assert.Equal(100, kept[1].GpuPercent);
        Assert.Equal(2L << 30, kept[1].GpuMemoryBytes);

        // Past the limit every other row goes and the grain doubles: 8 rows every 5 s, then readings 10 s apart.
        for (var i = 2; i < 12; i++) await sampler.RecordAsync(1, 10 + i, t0.AddSeconds(5 * i), 10, 1L << 20, null, null);
        var afterThinning = (await sampler.ListAsync(owner, 1))!;
        Assert.InRange(afterThinning.Count, 4, 8);
        var count = afterThinning.Count;
        var last = afterThinning[^1].At;
        await sampler.RecordAsync(1, 99, last.AddSeconds(5), 10, 1L << 20, null, null);
        Assert.Equal(count, (await sampler.ListAsync(owner, 1))!.Count);
        await sampler.RecordAsync(1, 100, last.AddSeconds(10), 10, 1L << 20, null, null);
        Assert.Equal(count + 1, (await sampler.ListAsync(owner, 1))!.Count);
    }

    [Theory]
    [InlineData("cpu", null)]
    [InlineData("cuda", 0)]
    [InlineData("cuda:1", 1)]
    [InlineData("CUDA:x", 0)]
    public void Cuda_index_of_a_device(string device, int? index) => Assert.Equal(index, RunSystemSamples.CudaIndex(device));
}
