using Bunit;
using MedSeg.Data.Entities;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Features.Datasets;
using MedSeg.Web.Features.Datasets.Components;

namespace MedSeg.Web.Tests.Features.Datasets;

public sealed class GenerationProgressBarTests : PortalComponentTest
{
    [Fact]
    public void ProgressBar_RunningWithRate_ShowsFractionRateAndEta()
    {
        var progress = new DatasetProgress(1, DatasetStatus.Running, 25, 100, 0, 0, VolumesPerSecond: 2.5, EtaSeconds: 75, Error: null);

        var bar = Render<GenerationProgressBar>(p => p.Add(c => c.Progress, progress));

        Assert.Equal("25", bar.Find("[data-testid=progress]").GetAttribute("data-done"));
        Assert.Equal("25 / 100 volumes · 2.5 vol/s · ETA 1:15", bar.Find("[data-testid=progress-text]").TextContent);
        Assert.Equal("25", bar.Find("[role=progressbar]").GetAttribute("aria-valuenow"));
    }

    [Fact]
    public void ProgressBar_Queued_ShowsCountsWithoutRate()
    {
        var progress = new DatasetProgress(1, DatasetStatus.Queued, 0, 8, 0, 0, null, null, null);

        var bar = Render<GenerationProgressBar>(p => p.Add(c => c.Progress, progress));

        Assert.Equal("0 / 8 volumes", bar.Find("[data-testid=progress-text]").TextContent);
    }

    [Theory]
    [InlineData(59, "0:59")]
    [InlineData(3725, "1:02:05")]
    public void FormatDuration_Seconds_IsMinutesOrHours(double seconds, string expected) =>
        Assert.Equal(expected, GenerationProgressBar.FormatDuration(TimeSpan.FromSeconds(seconds)));
}
