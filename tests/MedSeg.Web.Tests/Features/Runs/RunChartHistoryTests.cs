using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Testing;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Features.Runs.Live;
using MedSeg.Web.Tests.Database;
using MedSeg.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>
/// Issue 18: the run page's history of a 20,000-step run is a bounded read (every row-reading SQL has a LIMIT, a handful
/// of commands) that still holds the first and last steps, every validation, and the newest quarter of the budget raw
/// and contiguous, on SQLite and PostgreSQL.
/// </summary>
public sealed class RunChartHistoryTests
{
    private const int Steps = 20_000, ValidateEvery = 100, Budget = 1_000;
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Sqlite_20000Steps_BoundedSampleKeepsEndsValidationsAndRawTail()
    {
        using var temp = new TempDirectory("medseg-chart-history");
        await CheckAsync(new DatabaseOptions { ConnectionString = $"Data Source={Path.Combine(temp.Path, "h.db")}" }, temp.Path);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [PostgresFact]
    public async Task Postgres_20000Steps_BoundedSampleKeepsEndsValidationsAndRawTail()
    {
        var connection = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable))
        {
            Database = $"medseg_history_{Guid.NewGuid():N}",
        }.ConnectionString;
        using var temp = new TempDirectory("medseg-chart-history-pg");
        await CheckAsync(new DatabaseOptions { Provider = DatabaseProviders.PostgreSql, ConnectionString = connection }, temp.Path, dropAfter: true);
    }

    private static RunStepPoint Point(long step) => new(step, T0.AddSeconds(step), Loss(step), 1e-3, 4, 0.1, 1 << 20,
        step % ValidateEvery == 0 ? step / (double)Steps : null, step % ValidateEvery == 0 ? [0.99, step / (double)Steps] : null);

    private static double Loss(long step) => 1.0 + Math.Sin(step / 500.0);

    private static async Task CheckAsync(DatabaseOptions options, string root, bool dropAfter = false)
    {
        var log = new SqlCommandLog();
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(log).AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Information));
        services.AddMedSegDatabase(options, root);
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IDbContextFactory<MedSegDbContext>>();
        await DatabaseMigrator.MigrateAsync(factory);
        try
        {
            var runId = await SeedAsync(factory);

            log.Commands.Clear();
            List<RunStepPoint> points;
            await using (var db = await factory.CreateDbContextAsync())
                points = await RunChartHistory.ReadAsync(db, runId, 0, Budget);

            Assert.InRange(points.Count, Budget / 2, Budget);
            Assert.Equal(points.Select(p => p.Step).Order(), points.Select(p => p.Step)); // step order, no repeats
            Assert.Equal(points.Count, points.Select(p => p.Step).Distinct().Count());
            Assert.Equal(1, points[0].Step);
            Assert.Equal(Steps, points[^1].Step);
            Assert.Equal(4, points[^1].SamplesPerSecond); // the newest step whole, as stored
            var validated = points.Where(p => p.ValDice is not null).Select(p => p.Step).ToList();
            Assert.Equal(Enumerable.Range(1, Steps / ValidateEvery).Select(i => (long)i * ValidateEvery), validated);
            Assert.Equal([0.99, 1.0], points[^1].ValDicePerClass!);
            // The newest quarter of the budget raw and contiguous: live messages continue it without a gap.
            Assert.Equal(Enumerable.Range(Steps - Budget / 4 + 1, Budget / 4).Select(i => (long)i), points.TakeLast(Budget / 4).Select(p => p.Step));
            // The older part spans the run evenly (no bucket wider than the budget allows) with the stored values.
            var gaps = points.Zip(points.Skip(1), (a, b) => b.Step - a.Step);
            Assert.True(gaps.Max() <= 2 * Steps / (Budget / 2 / 2), $"largest step gap {gaps.Max()}");
            Assert.All(points, p => Assert.Equal(Loss(p.Step), p.Loss, 9));

            var reads = log.Commands.Where(c => c.Contains("FROM \"RunStepMetrics\"", StringComparison.Ordinal) && !c.Contains("COUNT(", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.NotEmpty(reads);
            Assert.All(reads, sql => Assert.Contains("LIMIT", sql));
            Assert.InRange(log.Commands.Count, 2, 8);

            // Catching up after a step: only what follows it, raw while it fits the budget.
            await using (var db = await factory.CreateDbContextAsync())
                points = await RunChartHistory.ReadAsync(db, runId, Steps - 100, Budget);
            Assert.Equal(Enumerable.Range(Steps - 99, 100).Select(i => (long)i), points.Select(p => p.Step));

            // A run that stored every 10th step only: the bucket ends come from SQL, still bounded, still spanning the run.
            var sparse = await SeedAsync(factory, every: 10);
            log.Commands.Clear();
            await using (var db = await factory.CreateDbContextAsync())
                points = await RunChartHistory.ReadAsync(db, sparse, 0, Budget);
            Assert.InRange(points.Count, Budget / 4, Budget);
            Assert.Equal((10L, (long)Steps), (points[0].Step, points[^1].Step));
            var sparseGaps = points.Zip(points.Skip(1), (a, b) => b.Step - a.Step).ToList();
            Assert.True(sparseGaps.Max() <= 2 * Steps / (Budget / 2 / 2), $"largest step gap {sparseGaps.Max()}");
            Assert.All(log.Commands.Where(c => c.Contains("FROM \"RunStepMetrics\"", StringComparison.Ordinal) && !c.Contains("COUNT(", StringComparison.OrdinalIgnoreCase)),
                sql => Assert.Contains("LIMIT", sql));
        }
        finally
        {
            if (dropAfter)
            {
                await using var db = await factory.CreateDbContextAsync();
                await db.Database.EnsureDeletedAsync();
            }
        }
    }

    private static async Task<int> SeedAsync(IDbContextFactory<MedSegDbContext> factory, int every = 1)
    {
        await using var db = await factory.CreateDbContextAsync();
        if (!await db.Users.AnyAsync()) db.Users.Add(new ApplicationUser { Id = "owner-h", UserName = "h@runs.test", Email = "h@runs.test" });
        var run = new TrainingRun
        {
            Name = "long", Status = TrainingRunStatus.Running, ModelName = "BasicUNet", ConfigJson = "{}", TotalSteps = Steps,
            OwnerId = "owner-h", RunFolder = "runs/long", CreatedAt = T0,
        };
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.RunStepMetrics.AddRange(Enumerable.Range(1, Steps).Where(i => i % every == 0).Select(i => Point(i).ToRow(run.Id)));
        await db.SaveChangesAsync();
        return run.Id;
    }
}
