using System.Diagnostics;
using MedSeg.Core.Datasets.Msd;
using MedSeg.Core.Generators.Phantom;
using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Training.FineTune;
using Microsoft.EntityFrameworkCore;
using MedSeg.Web.Features.Benchmarks;
using MedSeg.Web.Infrastructure.Security;

namespace MedSeg.Web.Bench;

/// <summary>
/// Benchmark protocol pages at scale: the in-process portal (SQLite, training off), a protocol of 4 budgets × 5 seeds run
/// on <c>--methods</c> (default 49 seeded completed pretraining rows + scratch = 50) through the real "run protocol" path
/// (1,000 cells queued), every cell then marked completed with a seeded evaluation.json of 10 test cases. Prints the
/// launch time, the first view after the cells finished (every evaluation.json read once into the score cache) and a warm
/// one, then — in a restarted portal, nothing in memory — the page's server render over HTTP (cold and again) and each export.
/// </summary>
public static class BenchmarkPagesBenchmark
{
    public static async Task<int> RunAsync(BenchArguments a)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"medseg-bench-benchmarks-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            var app = await BenchPortal.StartAsync(temp);
            var address = BenchPortal.Address(app);
            var cookie = await BenchPortal.RegisterAsync(address, "bench@benchmarks.local", "Passw0rd!");
            var dataRoot = Path.Combine(temp, "data");
            var raw = Path.Combine(temp, "raw");
            PhantomDatasetWriter.Write(AbdomenPhantomSpec.Default with { Size = [16, 16, 8] }, seed: 1, trainCount: 8, raw);
            MsdImporter.Import(raw, Path.Combine(dataRoot, "downstream", "phantom"), new SplitOptions { Validation = ["phantom_006"], Test = ["phantom_007"] });

            var dbFactory = app.Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>();
            PortalUser user;
            var pretrainIds = new List<int>();
            await using (var db = await dbFactory.CreateDbContextAsync())
            {
                var account = await db.Users.SingleAsync();
                user = new PortalUser(account.Id, account.UserName ?? account.Id, account.LabId, true);
                for (int i = 0; i < a.Methods - 1; i++)
                    db.TrainingRuns.Add(new TrainingRun
                    {
                        Name = $"method-{i:D2}", Method = TrainingMethods.Fdsl, ModelName = "BasicUNet", Status = TrainingRunStatus.Completed,
                        OwnerId = account.Id, LabId = account.LabId, CreatedAt = DateTime.UtcNow, RunFolder = $"runs/pre-{i}",
                    });
                await db.SaveChangesAsync();
                pretrainIds.AddRange(await db.TrainingRuns.Select(r => r.Id).ToListAsync());
            }

            var scope = app.Services.CreateScope();
            var service = scope.ServiceProvider.GetRequiredService<BenchmarkService>();
            var protocol = await service.SaveAsync(user, """
                { "name": "scale", "datasets": ["downstream/phantom"], "budgets": [1, 2, 4, "all"], "seeds": [1, 2, 3, 4, 5],
                  "fineTune": { "model": "BasicUNet", "patchSize": 32, "steps": 10 }, "metrics": ["dice", "assd", "hd95"] }
                """);
            var timer = Stopwatch.StartNew();
            var launch = await service.RunAsync(user, protocol.Id, pretrainIds, scratch: true);
            Console.WriteLine($"run protocol: {launch.Queued} cells queued in {timer.Elapsed.TotalSeconds:F2} s");

            await using (var db = await dbFactory.CreateDbContextAsync())
            {
                var cells = await db.BenchmarkCells.Include(c => c.TrainingRun).ToListAsync();
                var random = new Random(1);
                foreach (var cell in cells)
                {
                    cell.TrainingRun!.Status = TrainingRunStatus.Completed;
                    cell.TrainingRun.FinishedAt = DateTime.UtcNow;
                    WriteEvaluation(Path.Combine(dataRoot, cell.TrainingRun.RunFolder), random, cell.MethodKey == "scratch" ? 0.6 : 0.65);
                }
                await db.SaveChangesAsync();
            }

            timer.Restart();
            var view = (await service.ViewAsync(user, protocol.Id))!;
            Console.WriteLine($"view, first after the cells finished (reads {view.Cells.Count} evaluation.json once into the score cache): {timer.Elapsed.TotalMilliseconds:F0} ms, {view.Scores.Count} scores");
            timer.Restart();
            view = (await service.ViewAsync(user, protocol.Id))!;
            Console.WriteLine($"view warm: {timer.Elapsed.TotalMilliseconds:F0} ms");
            scope.Dispose();
            await app.DisposeAsync();

            // A restarted portal: nothing in memory, the database and data root (with the score cache file) as left.
            app = await BenchPortal.StartAsync(temp);
            try
            {
                address = BenchPortal.Address(app);
                using var client = new HttpClient { BaseAddress = new Uri(address) };
                client.DefaultRequestHeaders.Add("Cookie", cookie);
                await client.GetStringAsync("/benchmarks"); // the process's first request (framework start-up) is not the page's
                foreach (var round in new[] { "cold: first after a restart, score cache read from its file", "second" })
                {
                    var cpu = Cpu();
                    timer.Restart();
                    var html = await client.GetStringAsync($"/benchmarks/{protocol.Id}");
                    var ms = timer.Elapsed.TotalMilliseconds;
                    if (!html.Contains("data-testid=\"benchmark-table\"")) throw new InvalidOperationException("The page did not render the table.");
                    Console.WriteLine($"page render (GET /benchmarks/{protocol.Id}, server prerender, {round}): {ms:F0} ms (CPU {Cpu() - cpu:F0} ms), {html.Length / 1024} KiB");
                }
                foreach (var format in BenchmarkExport.Formats)
                {
                    var cpu = Cpu();
                    timer.Restart();
                    var bytes = await client.GetByteArrayAsync($"/api/benchmarks/{protocol.Id}/export?format={format}");
                    Console.WriteLine($"export {format}: {timer.Elapsed.TotalMilliseconds:F0} ms (CPU {Cpu() - cpu:F0} ms), {bytes.Length / 1024} KiB");
                }
            }
            finally
            {
                await app.DisposeAsync();
            }
            return 0;
        }
        finally
        {
            try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>CPU time of this process (server and client) in ms: steadier than wall time on a loaded machine.</summary>
    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

    /// <summary>A plausible evaluation.json: 10 test cases × 5 organs, Dice around <paramref name="level"/>.</summary>
    internal static void WriteEvaluation(string runFolder, Random random, double level)
    {
        Directory.CreateDirectory(runFolder);
        var organs = new[] { "liver", "spleen", "kidney_left", "kidney_right", "aorta" };
        var cases = Enumerable.Range(0, 10).Select(c =>
        {
            var classes = organs.Select((o, i) => new ClassScore(i + 1, o, Math.Clamp(level + random.NextDouble() * 0.2 - 0.1, 0, 1),
                random.NextDouble() * 3, random.NextDouble() * 10)).ToList();
            return new CaseEvaluation($"case_{c:D3}", $"predictions/case_{c:D3}.nii.gz", classes,
                classes.Average(x => x.Dice), classes.Average(x => x.Assd), classes.Average(x => x.Hd95));
        }).ToList();
        var perClass = organs.Select((o, i) => new ClassScore(i + 1, o, cases.Average(c => c.Classes[i].Dice),
            cases.Average(c => c.Classes[i].Assd), cases.Average(c => c.Classes[i].Hd95))).ToList();
        var e = new FineTuneEvaluation("test", "scratch", false, "BasicUNet", "checkpoints/best/model.safetensors", 10, cases, perClass,
            perClass.Average(c => c.Dice), perClass.Average(c => c.Assd), perClass.Average(c => c.Hd95));
        File.WriteAllText(Path.Combine(runFolder, FineTuneEvaluation.FileName), e.ToJson());
    }
}
