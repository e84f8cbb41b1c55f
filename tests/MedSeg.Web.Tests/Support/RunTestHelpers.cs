using MedSeg.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Tests.Support;

/// <summary>Tiny real training runs (BasicUNet with 4..16 features, 32³ crops, batch 1, on-the-fly AVS-DB) and waiting on them.</summary>
public static class RunTestHelpers
{
    /// <summary>FdslOptions JSON for a run of <paramref name="steps"/> CPU steps.</summary>
    public static string TinyConfig(int steps, int checkpointEvery = 5, int validationEvery = 0) =>
        $$"""
        {"model":"BasicUNet","modelArgs":{"features":"(4, 4, 8, 8, 16, 4)"},"crop":32,"batchSize":1,"samples":8,
         "steps":{{steps}},"checkpointEvery":{{checkpointEvery}},"keepLast":2,"validationEvery":{{validationEvery}},"validationSamples":1,
         "loaderWorkers":1,"prefetch":2,"torchThreads":1,"learningRate":0.001,"device":"cpu"}
        """;

    public static string TinySpecJson() => DatasetTestHelpers.TinySpec().ToJson();

    public static TrainingRunRequest TinyRequest(string name, int steps, int checkpointEvery = 5, int validationEvery = 0) =>
        new(name, TinyConfig(steps, checkpointEvery, validationEvery), SpecJson: TinySpecJson());

    public static async Task<TrainingRun> CreateAsync(PortalFactory factory, PortalUser user, TrainingRunRequest request)
    {
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<TrainingRunService>().CreateAsync(user, request);
    }

    public static async Task<T> WithServiceAsync<T>(PortalFactory factory, Func<TrainingRunService, Task<T>> action)
    {
        using var scope = factory.Services.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<TrainingRunService>());
    }

    /// <summary>Polls the row until <paramref name="done"/> holds; fails with the last state after <paramref name="timeout"/>.</summary>
    public static async Task<TrainingRun> WaitForAsync(PortalFactory factory, int id, Func<TrainingRun, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        TrainingRun? row = null;
        while (DateTime.UtcNow < deadline)
        {
            await using var db = await factory.Db.CreateDbContextAsync();
            row = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == id);
            if (done(row)) return row;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Run {id} stayed {row?.Status} at step {row?.CurrentStep}/{row?.TotalSteps}, error: {row?.ErrorText}");
    }

    public static async Task<List<long>> StepsAsync(PortalFactory factory, int id)
    {
        await using var db = await factory.Db.CreateDbContextAsync();
        return await db.RunStepMetrics.AsNoTracking().Where(m => m.RunId == id).OrderBy(m => m.Step).Select(m => m.Step).ToListAsync();
    }

    public static async Task<List<RunEvent>> EventsAsync(PortalFactory factory, int id)
    {
        await using var db = await factory.Db.CreateDbContextAsync();
        return await db.RunEvents.AsNoTracking().Where(e => e.RunId == id).OrderBy(e => e.Id).ToListAsync();
    }

    /// <summary>Asserts the steps are exactly 1..<paramref name="last"/>: none missing, none twice.</summary>
    public static void AssertContiguous(IReadOnlyList<long> steps, long last)
    {
        Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (long)i), steps);
    }
}

/// <summary>A portal whose own training service is switched off (tests drive queue and service by hand).</summary>
public sealed class IdlePortalFactory : PortalFactory
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Training:Enabled", "false");
    }
}
