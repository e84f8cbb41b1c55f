using Bunit;
using MedSeg.Data.Entities;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Features.Datasets.Components;

namespace MedSeg.Web.Tests.Features.Datasets;

/// <summary>Issue 12, point 4: the dataset form estimates disk size and time from this server's measured rate.</summary>
public sealed class GenerationEstimateTests : PortalComponentTest
{
    private static Dataset Finished(int volumes, int size, long bytes, double seconds, DatasetStatus status = DatasetStatus.Completed)
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return new Dataset
        {
            Status = status, VolumeCountDone = volumes, BytesOnDisk = bytes, SpecJson = $$"""{"volumeSize":{{size}}}""",
            StartedUtc = start, FinishedUtc = start.AddSeconds(seconds),
        };
    }

    [Fact]
    public void Rate_is_the_total_over_finished_datasets_only()
    {
        var rate = GenerationRate.Measure([
            Finished(16, 64, 16L * 64 * 64 * 64, 32),          // 1 byte/voxel
            Finished(8, 32, 8L * 32 * 32 * 32 * 3, 0.5),        // 3 bytes/voxel
            Finished(100, 64, 1, 1, DatasetStatus.Failed),      // not counted
            new Dataset { Status = DatasetStatus.Completed, SpecJson = "{}" },
        ]);

        Assert.NotNull(rate);
        Assert.Equal(2, rate.Datasets);
        var voxels = 16.0 * 64 * 64 * 64 + 8.0 * 32 * 32 * 32;
        Assert.Equal((16.0 * 64 * 64 * 64 + 3 * 8.0 * 32 * 32 * 32) / voxels, rate.BytesPerVoxel, 12);
        Assert.Equal(32.5 / voxels, rate.SecondsPerVoxel, 15);
        Assert.Null(GenerationRate.Measure([Finished(1, 8, 1, 1, DatasetStatus.Running)]));
    }

    [Fact]
    public void Estimate_multiplies_out_and_asks_above_a_day_or_the_free_disk()
    {
        var rate = new GenerationRate(BytesPerVoxel: 0.5, SecondsPerVoxel: 1e-6, Datasets: 3);

        var small = GenerationEstimate.For(16, 64, rate, freeBytes: 1_000_000_000);
        Assert.Equal(16 * 64 * 64 * 64 * 0.5, small.Bytes);
        Assert.Equal(TimeSpan.FromSeconds(16 * 64 * 64 * 64 * 1e-6), small.Time);
        Assert.False(small.NeedsConfirmation);
        Assert.Contains("over 3 finished datasets", small.Text);

        var huge = GenerationEstimate.For(10_000, 1024, rate, freeBytes: null); // 1.07e13 voxels: ~124 days
        Assert.True(huge.Time > TimeSpan.FromDays(100));
        Assert.True(huge.NeedsConfirmation);

        var full = GenerationEstimate.For(16, 64, rate, freeBytes: 1000);
        Assert.True(full.NeedsConfirmation);
        Assert.Contains("only 1 kB free", full.Text);

        var unmeasured = GenerationEstimate.For(16, 64, null, null);
        Assert.Equal(16 * 64 * 64 * 64 * GenerationRate.UncompressedBytesPerVoxel, unmeasured.Bytes);
        Assert.Null(unmeasured.Time);
        Assert.Contains("known once a first dataset has finished", unmeasured.Text);
    }

    [Fact]
    public void Form_asks_before_queuing_a_dataset_of_more_than_a_day()
    {
        EnsurePopoverProvider();
        var form = Render<DatasetCreateForm>(p => p
            .Add(c => c.OnSubmit, _ => { })
            .Add(c => c.ShowPreview, false)
            .Add(c => c.Rate, new GenerationRate(0.5, 1e-6, 1)));
        form.Find("[data-testid=create-name] input, input[data-testid=create-name]").Input("huge");
        Assert.Empty(form.FindAll("[data-testid=create-confirm]"));
        Assert.False(form.Find("[data-testid=create-submit]").HasAttribute("disabled"));

        form.Find("[data-testid=create-count] input, input[data-testid=create-count]").Input("10000");
        form.Find("[data-testid=create-size] input, input[data-testid=create-size]").Input("1024");

        form.WaitForAssertion(() => Assert.Equal("true", form.Find("[data-testid=create-estimate]").GetAttribute("data-needs-confirmation")));
        Assert.Contains("10,000 volumes of 1024³", form.Find("[data-testid=create-estimate]").TextContent);
        Assert.True(form.Find("[data-testid=create-submit]").HasAttribute("disabled"));
        form.Find("[data-testid=create-confirm] input, input[data-testid=create-confirm]").Change(true);
        form.WaitForAssertion(() => Assert.False(form.Find("[data-testid=create-submit]").HasAttribute("disabled")));
    }
}
