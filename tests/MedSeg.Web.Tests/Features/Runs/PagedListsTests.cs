using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSeg.Data.Entities;
using MedSeg.Training.FineTune;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Features.Lists;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Security;
using Microsoft.Extensions.DependencyInjection;
using MedSeg.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>
/// Issue 18 (portal at 10,000 runs): every list endpoint pages in the database — the SQL that reads rows has a LIMIT
/// (seen through EF's command log) — and the pages are right: totals, sort order, leaderboard ranks with ties across a
/// page boundary equal to ranking the whole lab in memory; the CSV export streams every run.
/// </summary>
public sealed class PagedListsTests : IAsyncLifetime
{
    private sealed class LoggedPortalFactory(SqlCommandLog log) : PortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Training:Enabled", "false");
            builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "Information");
            builder.ConfigureLogging(l => l.AddProvider(log));
        }
    }

    private readonly SqlCommandLog log = new();
    private LoggedPortalFactory factory = default!;
    private HttpClient client = default!;
    private static readonly double?[] Scores = [0.9, 0.8, 0.8, 0.8, 0.7, null, 0.6, 0.6, null, 0.5, 0.4, 0.3];

    public async Task InitializeAsync()
    {
        factory = new LoggedPortalFactory(log);
        var pi = await TestAccounts.RegisterAsync(factory, "pi@paging.test");
        client = pi.CreateClient(factory);
        await using var db = await factory.Db.CreateDbContextAsync();
        var owner = db.Users.Single().Id;
        for (var i = 0; i < Scores.Length; i++)
            db.TrainingRuns.Add(new TrainingRun
            {
                Name = $"run {i:00}", Method = TrainingMethods.Fdsl, ModelName = i % 2 == 0 ? "BasicUNet" : "SwinUNETR", ConfigJson = "{}",
                Status = i % 3 == 0 ? TrainingRunStatus.Completed : TrainingRunStatus.Queued, OwnerId = owner, LabId = Labs.Default,
                CreatedAt = DateTime.UtcNow.AddMinutes(i), TotalSteps = 10, RunFolder = "", BestValDice = Scores[i], LastLoss = 1.0 / (i + 1),
            });
        db.TrainingRuns.Add(new TrainingRun
        {
            Name = "other lab", Method = TrainingMethods.Fdsl, ModelName = "BasicUNet", ConfigJson = "{}", Status = TrainingRunStatus.Completed,
            OwnerId = owner, LabId = "elsewhere", CreatedAt = DateTime.UtcNow, TotalSteps = 10, RunFolder = "", BestValDice = 1.0,
        });
        for (var i = 0; i < 5; i++)
            db.Datasets.Add(new Dataset { Name = $"set {i}", OwnerId = owner, LabId = Labs.Default, CreatedUtc = DateTime.UtcNow.AddMinutes(i), Path = $"datasets/x{i}" });
        foreach (var (name, version, lab) in new[] { ("b", 1, Labs.Default), ("b", 2, Labs.Default), ("a", 1, Labs.Default), ("c", 1, Labs.Default), ("a", 1, "elsewhere") })
            db.BenchmarkProtocols.Add(new BenchmarkProtocolEntry { Name = name, Version = version, LabId = lab, OwnerId = owner, CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private sealed record Page<T>(List<T> Items, int Total, int Number, int Size);
    private sealed record Run(int Id, string Name, double? BestValDice);
    private sealed record Ranked(int Rank, double Score, Run Run);
    private sealed record Set(int Id, string Name);
    private sealed record Protocol(int Id, string Name, int Version);

    [Fact]
    public async Task BenchmarkProtocols_PageByNameThenNewestVersion_InTheCallersLab()
    {
        var page = (await client.GetFromJsonAsync<Page<Protocol>>("/api/benchmarks?size=2&page=2", JsonSerializerOptions.Web))!;
        Assert.Equal(4, page.Total);
        Assert.Equal(["b v1", "c v1"], page.Items.Select(p => $"{p.Name} v{p.Version}"));
        var first = (await client.GetFromJsonAsync<Page<Protocol>>("/api/benchmarks?size=2", JsonSerializerOptions.Web))!;
        Assert.Equal(["a v1", "b v2"], first.Items.Select(p => $"{p.Name} v{p.Version}"));
        var refused = await client.GetAsync("/api/benchmarks?size=100000");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Size: 1..", await refused.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/runs?size=5&page=2&sort=name&desc=false", "TrainingRuns")]
    [InlineData("/api/runs?size=5&q=swin&status=queued", "TrainingRuns")]
    [InlineData("/api/runs/leaderboard?size=3&page=2", "TrainingRuns")]
    [InlineData("/api/runs/leaderboard?metric=last_loss&size=4", "TrainingRuns")]
    [InlineData("/api/datasets?size=2&sort=created", "Datasets")]
    [InlineData("/api/benchmarks?size=2&page=2", "BenchmarkProtocols")]
    public async Task EveryListEndpoint_ReadsRowsWithALimit(string url, string table)
    {
        log.Commands.Clear();
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");

        var reads = log.Commands.Where(c => c.Contains($"FROM \"{table}\"", StringComparison.Ordinal) && !c.Contains("COUNT(", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(reads);
        Assert.All(reads, sql => Assert.Contains("LIMIT", sql));
    }

    /// <summary>The dashboard's lists and the downstream leaderboard (services the pages call, no endpoint) read rows with a LIMIT too.</summary>
    [Fact]
    public async Task DashboardAndDownstreamBoard_ReadRowsWithALimit()
    {
        PortalUser user;
        await using (var db = await factory.Db.CreateDbContextAsync())
        {
            var owner = db.Users.Single();
            user = new PortalUser(owner.Id, owner.Email!, Labs.Default, true);
            for (var i = 0; i < 3; i++)
            {
                var run = new TrainingRun
                {
                    Name = $"ft {i}", Method = TrainingMethods.FineTune, ModelName = "BasicUNet", Status = TrainingRunStatus.Completed, OwnerId = owner.Id,
                    LabId = Labs.Default, CreatedAt = DateTime.UtcNow, RunFolder = $"runs/ft-{i}",
                    ConfigJson = FineTuneRunConfig.Write(new FineTuneOptions { DatasetDir = "downstream/board", Init = i == 0 ? "scratch" : "run:runs/ft-0" }),
                };
                db.TrainingRuns.Add(run);
                var folder = Path.Combine(factory.DataRoot, run.RunFolder);
                Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Combine(folder, FineTuneEvaluation.FileName), new FineTuneEvaluation("test", "scratch", false, "BasicUNet", "m", 1, [],
                    [new ClassScore(1, "liver", 0.5 + i / 10.0, 1, 2)], 0.5 + i / 10.0, 1, 2).ToJson());
            }
            await db.SaveChangesAsync();
        }
        var services = factory.Services;
        log.Commands.Clear();
        var dashboard = await services.GetRequiredService<DashboardLists>().ReadAsync(user);
        var firstPage = await new DownstreamLeaderboard(factory.Db, services.GetRequiredService<DataPaths>()).ReadAsync(user, "downstream/board", page: 1, size: 2);
        var secondPage = await new DownstreamLeaderboard(factory.Db, services.GetRequiredService<DataPaths>()).ReadAsync(user, "downstream/board", page: 2, size: 2);

        var reads = log.Commands.Where(c => c.Contains("FROM \"TrainingRuns\"", StringComparison.Ordinal) && !c.Contains("UPDATE \"TrainingRuns\"", StringComparison.Ordinal)
            && !c.Contains("COUNT(", StringComparison.Ordinal) && !c.Contains("EXISTS", StringComparison.Ordinal)).ToList();
        Assert.True(reads.Count >= 6, $"expected the dashboard's and the board's reads, got {reads.Count}");
        Assert.All(reads, sql => Assert.Contains("LIMIT", sql));

        Assert.Equal(Scores.Where((_, i) => i % 3 != 0).Count(), dashboard.QueueTotal); // as seeded: i % 3 != 0 queued
        Assert.Equal(dashboard.QueueTotal, dashboard.Queue.Count);
        Assert.Equal(Math.Min(DashboardLists.RecentCount, Scores.Where((_, i) => i % 3 == 0).Count() + 3), dashboard.Recent.Count);
        Assert.Equal((3, 3), (firstPage.Total, secondPage.Total));
        Assert.Equal(["ft 2", "ft 1", "ft 0"], firstPage.Rows.Concat(secondPage.Rows).Select(r => r.RunName)); // best mean Dice first, across pages
        Assert.Equal(["ft 0", "ft 0", "scratch"], firstPage.Rows.Concat(secondPage.Rows).Select(r => r.Init));
    }

    /// <summary>The dashboard's newest ends: by finish time, an ended run without one (older rows, a worker lost) by its start.</summary>
    [Fact]
    public async Task DashboardRecent_EndsByFinishTime_ElseStartTime_NewestFirst()
    {
        const string lab = "recent-lab";
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        PortalUser user;
        await using (var db = await factory.Db.CreateDbContextAsync())
        {
            var owner = db.Users.Single();
            user = new PortalUser(owner.Id, owner.Email!, lab, true);
            (string Name, TrainingRunStatus Status, int Created, int? Finished)[] runs =
            [
                ("done early", TrainingRunStatus.Completed, 0, 10), ("failed late", TrainingRunStatus.Failed, 1, 90),
                ("lost, started at 50", TrainingRunStatus.Interrupted, 50, null), ("cancelled", TrainingRunStatus.Cancelled, 2, 40),
                ("queued, newest", TrainingRunStatus.Queued, 99, null), ("running", TrainingRunStatus.Running, 98, null),
                ("lost, started at 5", TrainingRunStatus.Interrupted, 5, null),
            ];
            foreach (var (name, status, created, finished) in runs)
                db.TrainingRuns.Add(new TrainingRun
                {
                    Name = name, Method = TrainingMethods.Fdsl, ModelName = "BasicUNet", ConfigJson = "{}", Status = status, OwnerId = owner.Id,
                    LabId = lab, CreatedAt = t0.AddMinutes(created), FinishedAt = finished is { } f ? t0.AddMinutes(f) : null, TotalSteps = 10, RunFolder = "",
                });
            await db.SaveChangesAsync();
        }
        var recent = (await factory.Services.GetRequiredService<DashboardLists>().ReadAsync(user)).Recent;
        Assert.Equal(["failed late", "lost, started at 50", "cancelled", "done early", "lost, started at 5"], recent.Select(r => r.Name));
    }

    [Fact]
    public async Task RunPages_AreSortedFilteredAndCounted_InTheCallersLab()
    {
        var page = (await client.GetFromJsonAsync<Page<Run>>("/api/runs?size=5&page=2&sort=name&desc=false", JsonSerializerOptions.Web))!;
        Assert.Equal(Scores.Length, page.Total);
        Assert.Equal(["run 05", "run 06", "run 07", "run 08", "run 09"], page.Items.Select(r => r.Name));
        var swin = (await client.GetFromJsonAsync<Page<Run>>("/api/runs?size=50&q=SWIN", JsonSerializerOptions.Web))!;
        Assert.Equal(Scores.Length / 2, swin.Total);
        Assert.DoesNotContain(swin.Items, r => r.Name == "other lab");
        var datasets = (await client.GetFromJsonAsync<Page<Set>>("/api/datasets?size=2&sort=created&desc=true", JsonSerializerOptions.Web))!;
        Assert.Equal(5, datasets.Total);
        Assert.Equal(["set 4", "set 3"], datasets.Items.Select(d => d.Name));

        var tooBig = await client.GetAsync("/api/runs?size=1000");
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
        Assert.Contains("Size: 1..200 (Limits:MaxPageSize), got 1000.", await tooBig.Content.ReadAsStringAsync());
        var badSort = await client.GetAsync("/api/runs?sort=secret");
        Assert.Contains("Sort: one of id, name", await badSort.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LeaderboardPages_RankAsTheWholeLabRankedInMemory_TiesAcrossPages()
    {
        var expected = Leaderboard.Rank(Scores.Select((s, i) => (Name: $"run {i:00}", Score: s)), x => x.Score, higherIsBetter: true)
            .Select(e => (e.Rank, e.Run.Name)).ToList();
        var got = new List<(int, string)>();
        for (var p = 1; p <= 4; p++)
        {
            var page = (await client.GetFromJsonAsync<Page<Ranked>>($"/api/runs/leaderboard?size=3&page={p}", JsonSerializerOptions.Web))!;
            Assert.Equal(expected.Count, page.Total);
            got.AddRange(page.Items.Select(e => (e.Rank, e.Run.Name)));
        }
        Assert.Equal(expected, got); // e.g. the three 0.8s rank 2 though the second page starts among them

        var csv = (await client.GetStringAsync("/api/runs/export.csv?rankBy=best_val_dice")).Trim().Split('\n');
        Assert.Equal(expected.Count + 1, csv.Length);
        Assert.Equal(expected.Select(e => $"{e.Rank}"), csv.Skip(1).Select(l => l.Split(',')[0]));
        var all = (await client.GetStringAsync("/api/runs/export.csv")).Trim().Split('\n');
        Assert.Equal(Scores.Length + 1, all.Length);
        Assert.StartsWith("1,", all[1]); // best Dice first; runs without one last
        Assert.Contains(",run 05,", all[^2] + all[^1]);
    }
}
