using System.Text.Json.Serialization;
using MedSeg.Data;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using MedSeg.Web.Features.Account;
using MedSeg.Web.Features.Downstream;
using MedSeg.Web.Features.Datasets;
using MedSeg.Web.Features.Runs;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Infrastructure;

public static class ApplicationServiceExtensions
{
    /// <summary>Registers everything the portal needs: options, database, Identity, Blazor + MudBlazor, SignalR, generation.</summary>
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        // Package static web assets (MudBlazor, blazor.web.js) also outside Development, e.g. a plain `dotnet run`.
        builder.WebHost.UseStaticWebAssets();
        // No "Server: Kestrel" on responses: nothing to fingerprint.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.Configure<Microsoft.AspNetCore.HttpsPolicy.HstsOptions>(o => o.MaxAge = TimeSpan.FromDays(365));
        Security.RequestRateLimits.AddRequestRateLimits(builder.Services, builder.Configuration);

        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName);
        builder.Services.AddOptions<GenerationOptions>().BindConfiguration(GenerationOptions.SectionName);
        builder.Services.AddOptions<TrainingOptions>().BindConfiguration(TrainingOptions.SectionName)
            .Validate(o => o.ChartHistoryPoints is >= Features.Runs.Live.RunChartHistory.MinPoints and <= Features.Runs.Live.RunChartHistory.MaxPoints,
                $"Training:ChartHistoryPoints must be {Features.Runs.Live.RunChartHistory.MinPoints}..{Features.Runs.Live.RunChartHistory.MaxPoints} (points a run page reads).")
            .ValidateOnStart();
        builder.Services.AddOptions<SlurmOptions>().BindConfiguration(SlurmOptions.SectionName);
        builder.Services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.SectionName)
            .ValidateProblems(o => o.Problems());
        builder.Services.AddOptions<DownstreamOptions>().BindConfiguration(DownstreamOptions.SectionName);
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName);
        builder.Services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.SectionName)
            .ValidateProblems(o => o.Problems());
        builder.Services.AddSingleton<PageWarmUp>();

        builder.Services.AddMedSegDatabase(
            sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value,
            sp => sp.GetRequiredService<IWebHostEnvironment>().ContentRootPath);

        builder.AddPortalIdentity();
        // RFC 9457 bodies for API errors (status code pages and the exception handler use it).
        builder.Services.AddProblemDetails();

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        // Snackbars bottom-right: top-right ones cover the page's action buttons.
        builder.Services.AddMudServices(config => config.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight);
        // Enum values as names ("Running"), friendlier for JS clients and scripts than numbers.
        builder.Services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        // The HTTP API writes them the same way ("status": "Completed"), for scripts, the CLI and the ingestion clients.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        builder.Services.AddSingleton<DataPaths>();
        builder.Services.AddSingleton<DatasetContents>();
        builder.Services.AddSingleton<DatasetProgressNotifier>();
        builder.Services.AddSingleton<GenerationQueue>();
        builder.Services.AddSingleton<IDatasetWriter, AvsDbDatasetRunner>();
        builder.Services.AddSingleton<SlicePreviewRenderer>();
        builder.Services.AddScoped<DatasetService>();
        builder.Services.AddSingleton<LabAdministration>();
        builder.Services.AddSingleton<Features.Membership.LabQuotas>();
        builder.Services.AddSingleton<Features.Membership.LabMembers>();
        builder.Services.AddSingleton<Features.Lists.PagedLists>();
        builder.Services.AddSingleton<Features.Lists.DashboardLists>();
        builder.Services.AddHostedService<DatasetGenerationService>();

        builder.Services.AddSingleton(Training.Methods.MethodCatalog.WithBuiltIns()); // a host may register more methods
        builder.Services.AddSingleton<TrainingQueue>();
        // Runs' live progress: buffer, SignalR feed, and the metrics store (its own hosted service; a run's end flushes explicitly).
        builder.Services.AddSingleton<RunProgressFeed>();
        builder.Services.AddSingleton<RunLiveBuffer>();
        builder.Services.AddSingleton<RunMetricsWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RunMetricsWriter>());
        builder.Services.AddSingleton<StepTimeProbes>();
        builder.Services.AddSingleton<MachineMemory>();
        builder.Services.AddScoped<TrainingRunService>();
        builder.Services.AddSingleton<RunClassNames>();
        builder.Services.AddSingleton<DownstreamDatasets>();
        builder.Services.AddSingleton<Features.Runs.VolumeFusion.VolfPreviews>();
        builder.Services.AddSingleton<DownstreamUpload>();
        builder.Services.AddSingleton<DownstreamStaging>();
        builder.Services.AddScoped<DownstreamLeaderboard>();
        builder.Services.AddScoped<Features.Benchmarks.BenchmarkService>();
        builder.Services.AddSingleton<Features.Benchmarks.BenchmarkScoreCache>();
        builder.Services.AddSingleton<Features.Benchmarks.ImportedWeights>();
        builder.Services.AddScoped<Features.Benchmarks.WeightsImport>();
        builder.Services.AddSingleton<Features.OneShotKnn.KnnEvaluations>();
        builder.Services.AddSingleton<Features.OneShotKnn.KnnEvaluationWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Features.OneShotKnn.KnnEvaluationWorker>());
        builder.Services.AddScoped<Features.OneShotKnn.KnnLeaderboard>();
        builder.Services.AddHostedService<TrainingHostedService>();
        // Execution backends: the co-hosted service (Local) and Slurm batch jobs with HTTP workers.
        builder.Services.AddSingleton<RunLauncher>();
        builder.Services.AddSingleton<PretextPreviews>();
        builder.Services.AddSingleton<IRunBackend, LocalRunBackend>();
        builder.Services.AddSingleton<IRunBackend, Features.Runs.Cluster.SlurmRunBackend>();
        builder.Services.AddSingleton<Features.Runs.Cluster.SlurmCli>();
        builder.Services.AddSingleton<Features.Runs.Cluster.ClusterWorkerReports>();
        builder.Services.AddSingleton<Features.Runs.Cluster.WorkerTokenRevocation>();
        builder.Services.AddHostedService<Features.Runs.Cluster.SlurmRunService>();
        builder.Services.AddSingleton<DeviceMonitor>();
        builder.Services.AddSingleton<Features.Runs.Tracking.RunSystemSamples>();
        builder.Services.AddSingleton<Features.Runs.Tracking.RunNotes>();
        builder.Services.AddSingleton<Features.Runs.Tracking.RunCheckpointFiles>();
        return builder;
    }
}
