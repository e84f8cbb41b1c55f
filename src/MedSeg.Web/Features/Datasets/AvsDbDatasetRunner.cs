using MedSeg.Core.Generators.AvsDb;
using MedSeg.Core.IO;
using MedSeg.Data.Entities;
using Microsoft.Extensions.Options;
using MedSeg.Web.Infrastructure.Options;

namespace MedSeg.Web.Features.Datasets;

/// <summary>Runs <see cref="AvsDbDatasetWriter"/> (synchronous, parallel over volumes) on a worker thread for the portal.</summary>
public sealed class AvsDbDatasetRunner(IOptions<GenerationOptions> options) : IDatasetWriter
{
    public string Kind => DatasetKinds.AvsDb;

    public Task WriteAsync(DatasetWriteRequest request, IProgress<DatasetWriteProgress> progress, CancellationToken cancellationToken)
    {
        var spec = AvsDbSpec.FromJson(request.SpecJson, "dataset spec");
        var writeOptions = new AvsDbWriteOptions { MaxDegreeOfParallelism = options.Value.MaxDegreeOfParallelism ?? Math.Max(1, Environment.ProcessorCount / 2) };
        var layout = new AvsDbLayout(request.OutputDirectory);
        // The writer's Done counts volumes processed in this run, resumed ones included; what is complete on disk is
        // what was there before plus what this run wrote.
        var completeAtStart = ListCompleteVolumes(request.OutputDirectory).Count;
        // Parallel.For inside the writer reports from several threads; keep the newest count and serialise reports.
        var gate = new Lock();
        var best = -1;
        var bytes = new ThrottledFolderSize(layout);
        var adapter = new Adapter(p =>
        {
            lock (gate)
            {
                if (p.Done <= best) return;
                best = p.Done;
                var written = p.Done - p.Skipped;
                progress.Report(new DatasetWriteProgress(Math.Min(p.Total, completeAtStart + written), p.Total, written,
                    bytes.Get(), (int)Math.Min(int.MaxValue, p.ShapesDropped)));
            }
        });
        return Task.Factory.StartNew(
            () => AvsDbDatasetWriter.Write(spec, unchecked((ulong)request.Seed), request.Count, request.OutputDirectory, adapter, cancellationToken, writeOptions),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public IReadOnlyList<DatasetVolumeFiles> ListCompleteVolumes(string datasetDirectory)
    {
        var layout = new AvsDbLayout(datasetDirectory);
        if (!Directory.Exists(layout.LabelsDir)) return [];
        // Labels appear after images, so enumerating labels and checking both finds exactly the complete volumes.
        var volumes = new List<DatasetVolumeFiles>();
        foreach (var label in Directory.EnumerateFiles(layout.LabelsDir, "avs_*.nii.gz"))
        {
            var name = Path.GetFileName(label);
            if (!int.TryParse(name.AsSpan(4, name.Length - 4 - ".nii.gz".Length), out var index) || index < 0) continue;
            if (layout.IsComplete(index)) volumes.Add(new DatasetVolumeFiles(index, layout.ImagePath(index), layout.LabelPath(index)));
        }
        volumes.Sort((a, b) => a.Index.CompareTo(b.Index));
        return volumes;
    }

    public IReadOnlyList<string> ValidateSpec(string specJson)
    {
        try
        {
            AvsDbSpec.FromJson(specJson, "spec");
            return [];
        }
        catch (AvsDbSpecException ex)
        {
            return ex.Errors;
        }
    }

    public IReadOnlyList<string> ClassNames(string specJson)
    {
        var spec = AvsDbSpec.FromJson(specJson, "dataset spec");
        return [.. Enumerable.Range(0, spec.ClassCount + 1).Select(id => id == 0 ? "background" : spec.ClassName(id))];
    }

    /// <summary>Size of the image and label folders, re-measured at most once a second (a listing per volume would be quadratic).</summary>
    private sealed class ThrottledFolderSize(AvsDbLayout layout)
    {
        private long value = -1;
        private long measuredAt;

        public long Get()
        {
            var now = Environment.TickCount64;
            if (value < 0 || now - measuredAt >= 1000)
            {
                value = FolderSize.Of(layout.ImagesDir) + FolderSize.Of(layout.LabelsDir);
                measuredAt = now;
            }
            return value;
        }
    }

    private sealed class Adapter(Action<GenerationProgress> report) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) => report(value);
    }
}
