using Bunit;
using MedSeg.Core.Generators.AvsDb;
using MedSeg.Data;
using MedSeg.Data.Entities;
using MedSeg.Web.Features.Datasets.Pages;
using MedSeg.Web.Features.Datasets;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Tests.Support;
using MedSeg.Web.Tests.Features.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedSeg.Web.Tests.Features.Datasets;

/// <summary>
/// Issue 12, point 5: while a dataset generated, its page said "3 / 10 volumes" but the viewer said "No complete volume
/// yet" and the table "0-0 of 0". The viewer and the table show the volumes already complete on disk.
/// </summary>
public sealed class DatasetDetailWhileGeneratingTests : RunPageTestBase
{
    [Fact]
    public async Task RunningDataset_ViewerAndTable_ShowTheCompleteVolumes()
    {
        Services.AddSingleton<DatasetContents>();
        Services.AddSingleton<DatasetProgressNotifier>();
        Services.AddSingleton<IDatasetWriter, AvsDbDatasetRunner>();
        Services.AddOptions<GenerationOptions>();
        await SeedAsync(pi: true);
        var spec = DatasetTestHelpers.TinySpec(16);
        var folder = Path.Combine(DataRoot, "datasets", "growing");
        AvsDbDatasetWriter.Write(spec, 1, 3, folder); // 3 of the 10 requested volumes are complete
        await using (var db = await Services.GetRequiredService<IDbContextFactory<MedSegDbContext>>().CreateDbContextAsync())
        {
            db.Datasets.Add(new Dataset
            {
                Id = 7, Name = "growing", SpecJson = spec.ToJson(), Seed = 1, Status = DatasetStatus.Running, VolumeCountRequested = 10,
                VolumeCountDone = 3, Path = "datasets/growing", OwnerId = OwnerId, CreatedUtc = DateTime.UtcNow, StartedUtc = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }
        EnsurePopoverProvider();

        var page = Render<DatasetDetail>(p => p.Add(c => c.Id, 7));

        await page.WaitForAssertionAsync(() => Assert.Equal("3 / 10", page.Find("[data-testid=dataset-volumes]").TextContent.Trim()), TimeSpan.FromSeconds(30));
        await page.WaitForAssertionAsync(() => Assert.Equal(3, page.FindAll("[data-testid=manifest-table] tbody tr").Count), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("No complete volume yet", page.Find("[data-testid=viewer-slot]").TextContent);
        Assert.Contains("1-3 of 3", page.Find("[data-testid=manifest-table]").TextContent);
    }
}
