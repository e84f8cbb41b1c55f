using System.Security.Claims;
using Bunit;
using MedSeg.Data;
using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using MedSeg.Testing;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Components.Charts;
using MedSeg.Web.Features.Datasets;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Infrastructure.Security;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Tests.Features.Runs;

/// <summary>Runs pages against a real SQLite file and the real live buffer and feed (no trainer: tests report steps themselves).</summary>
public abstract class RunPageTestBase : PortalComponentTest
{
    protected const string OwnerId = "owner-1";
    private readonly TempDirectory temp = new("medseg-runs-ui");

    /// <summary>The storage data root of the pages under test (downstream datasets, run folders).</summary>
    protected string DataRoot => temp.Path;

    protected RunPageTestBase()
    {
        Services.AddLogging();
        Services.AddSignalR(); // the feed also sends to the hub context
        Services.AddMedSegDatabase(new DatabaseOptions { ConnectionString = $"Data Source={Path.Combine(temp.Path, "runs.db")}" }, temp.Path);
        Services.AddOptions<StorageOptions>().Configure(o => o.DataRoot = temp.Path);
        Services.AddOptions<TrainingOptions>().Configure(o => { o.PublishInterval = TimeSpan.FromMilliseconds(50); o.MetricsFlushInterval = TimeSpan.FromMilliseconds(100); });
        Services.AddSingleton<IWebHostEnvironment>(new TestEnvironment(temp.Path));
        Services.AddSingleton<DataPaths>();
        Services.AddSingleton<GenerationQueue>();
        Services.AddSingleton<TrainingQueue>();
        Services.AddSingleton<RunProgressFeed>();
        Services.AddSingleton<RunLiveBuffer>();
        Services.AddSingleton<RunMetricsWriter>();
        Services.AddSingleton<MedSeg.Web.Features.Runs.Cluster.SlurmCli>(); // the dashboard's cluster panel (hidden unless Slurm is used)
        Services.AddSingleton<DeviceMonitor>();
        Services.AddSingleton<MedSeg.Web.Features.Runs.Tracking.RunNotes>();
        Services.AddSingleton<MedSeg.Web.Features.Runs.Tracking.RunCheckpointFiles>();
        Services.AddSingleton<MedSeg.Web.Features.Runs.Tracking.RunSystemSamples>();
        Services.AddSingleton<MedSeg.Web.Features.Runs.Cluster.WorkerTokenRevocation>(); // the run page's Revoke button for a Slurm worker token
        Services.AddScoped<TrainingRunService>();
        Services.AddSingleton<AuditLog>();
        Services.AddSingleton<RunClassNames>();
        Services.AddSingleton(MedSeg.Training.Methods.MethodCatalog.WithBuiltIns());
        Services.AddSingleton<RunLauncher>();
        Services.AddSingleton<PretextPreviews>(); // the run page's pretext preview (LWI, Swin SSL runs)
        Services.AddScoped<DatasetService>();
        Services.AddSingleton<MedSeg.Web.Features.Membership.LabQuotas>();
        Services.AddSingleton<MedSeg.Web.Features.Lists.PagedLists>();
        Services.AddSingleton<MedSeg.Web.Features.Lists.DashboardLists>();
        Services.AddSingleton<MedSeg.Web.Features.Downstream.DownstreamDatasets>(); // the one-shot kNN panel on completed runs
        Services.AddSingleton<MedSeg.Web.Features.OneShotKnn.KnnEvaluations>();
        JSInterop.SetupModule(LineChart.ModuleUrl).Setup<string?>("draw", _ => true).SetResult(null);
    }

    /// <summary>Signs the owner in (as PI or member) and seeds the runs; call before rendering.</summary>
    protected async Task SeedAsync(bool pi, params TrainingRun[] runs)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("owner@runs.test");
        // One SetClaims call: bUnit keeps only the last call's claims.
        auth.SetClaims([new Claim(ClaimTypes.NameIdentifier, OwnerId), .. pi ? new[] { new Claim(ClaimTypes.Role, Roles.PI) } : []]);
        var factory = Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>();
        await DatabaseMigrator.MigrateAsync(factory);
        await using var db = await factory.CreateDbContextAsync();
        db.Users.Add(new ApplicationUser { Id = OwnerId, UserName = "owner@runs.test", Email = "owner@runs.test" });
        foreach (var r in runs)
        {
            r.OwnerId = OwnerId;
            r.CreatedAt = r.CreatedAt == default ? DateTime.UtcNow : r.CreatedAt;
            r.RunFolder = $"runs/{r.Id}";
            db.TrainingRuns.Add(r);
        }
        await db.SaveChangesAsync();
    }

    protected async Task AddMetricsAsync(int runId, IEnumerable<RunStepPoint> points)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>().CreateDbContextAsync();
        db.RunStepMetrics.AddRange(points.Select(p => p.ToRow(runId)));
        await db.SaveChangesAsync();
    }

    protected static TrainingRun Run(int id, string name, TrainingRunStatus status, double? best = null, double? final = null, double? loss = null) => new()
    {
        Id = id, Name = name, Status = status, ModelName = "SwinUNETR", BestValDice = best, FinalValDice = final, LastLoss = loss,
        ConfigJson = """{"model":"SwinUNETR","featureSize":12,"crop":32,"batchSize":2,"learningRate":0.0001,"steps":40}""", TotalSteps = 40,
    };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        temp.Dispose();
    }

    private sealed class TestEnvironment(string root) : IWebHostEnvironment
    {
        public string WebRootPath { get; set; } = root;
        public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();
        public string ApplicationName { get; set; } = "MedSeg.Web";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
        public string ContentRootPath { get; set; } = root;
        public string EnvironmentName { get; set; } = Environments.Development;
    }
}
