using MedSeg.Core.Generators.AvsDb;
using MedSeg.Testing;
using MedSeg.Web.Features.Datasets;
using MedSeg.Web.Infrastructure.Options;
using MedSeg.Web.Tests.Support;

namespace MedSeg.Web.Tests.Features.Datasets;

public sealed class DatasetContentsTests : IDisposable
{
    private readonly TempDirectory temp = new("medseg-contents");
    private readonly AvsDbDatasetRunner writer = new(Microsoft.Extensions.Options.Options.Create(new GenerationOptions()));
    private readonly AvsDbSpec spec = DatasetTestHelpers.TinySpec();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Read_WrittenDataset_TableAndHistogramMatchTheManifest()
    {
        AvsDbDatasetWriter.Write(spec, 5, 3, temp.Path);
        var manifest = AvsDbDatasetWriter.ReadManifest(new AvsDbLayout(temp.Path).Manifest);

        var summary = new DatasetContents().Read(temp.Path, writer, spec.ToJson());

        Assert.True(summary.HasManifest);
        Assert.Equal([0, 1, 2], summary.Volumes.Select(v => v.Index));
        Assert.Equal(manifest.Select(m => m.ShapesPlaced), summary.Volumes.Select(v => v.ShapesPlaced));
        Assert.Equal(spec.ClassCount, summary.Classes.Count);
        Assert.Equal(manifest.Sum(m => m.ShapesPlaced), summary.Classes.Sum(c => c.Shapes));
        Assert.Equal(manifest.SelectMany(m => m.Shapes).Where(s => !s.Dropped).Sum(s => s.VoxelCount), summary.Classes.Sum(c => c.Voxels));
        Assert.Equal(spec.ClassName(1), summary.Classes[0].ClassName);
    }

    [Fact]
    public void Read_WhileGenerating_HistogramOfTheVolumesFinishedSoFar_FromThePartialManifest()
    {
        using var cts = new CancellationTokenSource();
        var contents = new DatasetContents();
        DatasetContentsSummary? midway = null;
        var progress = new SyncProgress(p =>
        {
            if (p.Done != 3) return;
            midway = contents.Read(temp.Path, writer, spec.ToJson()); // what an open page sees during the run
            cts.Cancel();
        });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            AvsDbDatasetWriter.Write(spec, 5, 10, temp.Path, progress, cts.Token, new AvsDbWriteOptions { MaxDegreeOfParallelism = 1 }));

        var generator = new AvsDbGenerator(spec, 5);
        var expected = Enumerable.Range(0, 3).Select(i => generator.Generate(i).Manifest).ToList();
        Assert.NotNull(midway);
        Assert.True(midway.HasManifest && midway.IsPartial);
        Assert.Equal([0, 1, 2], midway.Volumes.Select(v => v.Index));
        Assert.Equal(expected.Select(m => m.ShapesPlaced), midway.Volumes.Select(v => v.ShapesPlaced));
        Assert.Equal(expected.SelectMany(m => m.Shapes).Where(s => !s.Dropped).Sum(s => s.VoxelCount), midway.Classes.Sum(c => c.Voxels));

        AvsDbDatasetWriter.Write(spec, 5, 10, temp.Path); // resumed to the end: the full manifest, no longer partial
        var done = contents.Read(temp.Path, writer, spec.ToJson());
        Assert.Equal((true, false, 10), (done.HasManifest, done.IsPartial, done.Volumes.Count));
    }

    private sealed class SyncProgress(Action<GenerationProgress> report) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) => report(value);
    }

    [Fact]
    public void Read_Unchanged_ReusesSummary_VolumeLost_ReadsAgain()
    {
        AvsDbDatasetWriter.Write(spec, 5, 3, temp.Path);
        var contents = new DatasetContents();
        var first = contents.Read(temp.Path, writer, spec.ToJson());

        Assert.Same(first, contents.Read(temp.Path, writer, spec.ToJson()));

        File.Delete(new AvsDbLayout(temp.Path).LabelPath(1)); // a half-present volume is not listed
        var after = contents.Read(temp.Path, writer, spec.ToJson());
        Assert.Equal([0, 2], after.Volumes.Select(v => v.Index));
    }

    [Fact]
    public void ListCompleteVolumes_ImageWithoutLabel_IsNotListed()
    {
        AvsDbDatasetWriter.Write(spec, 5, 2, temp.Path);
        var layout = new AvsDbLayout(temp.Path);
        File.Copy(layout.ImagePath(0), layout.ImagePath(7)); // image of volume 7 written, label not yet
        File.WriteAllText(layout.LabelPath(9) + ".tmp-0123", "partial"); // a temporary is never a volume

        var volumes = writer.ListCompleteVolumes(temp.Path);

        Assert.Equal([0, 1], volumes.Select(v => v.Index));
    }
}
