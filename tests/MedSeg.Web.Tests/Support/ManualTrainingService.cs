using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Infrastructure;
using MedSeg.Web.Features.Runs.Live;

namespace MedSeg.Web.Tests.Support;

/// <summary>A <see cref="TrainingHostedService"/> built by hand over a portal's database, queue and live progress parts (as after a restart).</summary>
public static class ManualTrainingService
{
    public static TrainingHostedService Create(PortalFactory factory, TrainingOptions? options = null) =>
        new(factory.Db,
            factory.Services.GetRequiredService<TrainingQueue>(),
            factory.Services.GetRequiredService<RunLiveBuffer>(),
            factory.Services.GetRequiredService<RunMetricsWriter>(),
            factory.Services.GetRequiredService<RunProgressFeed>(),
            factory.Services.GetRequiredService<DataPaths>(),
            Microsoft.Extensions.Options.Options.Create(options ?? new TrainingOptions { QueuePollInterval = TimeSpan.FromMilliseconds(300) }),
            Microsoft.Extensions.Options.Options.Create(new LimitsOptions()),
            factory.Services.GetRequiredService<MedSeg.Web.Features.Membership.LabQuotas>(),
            NullLogger<TrainingHostedService>.Instance);
}
