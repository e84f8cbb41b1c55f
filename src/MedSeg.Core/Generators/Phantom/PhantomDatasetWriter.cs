using System.Diagnostics;
using System.Text.Json;
using MedSeg.Core.Nifti;
using MedSeg.Core.IO;

namespace MedSeg.Core.Generators.Phantom;

/// <summary>Result of writing a phantom dataset.</summary>
public sealed record PhantomDatasetResult(int TrainCount, int TestCount, TimeSpan Elapsed, long TotalVoxels)
{
    public double VolumesPerSecond => Elapsed.TotalSeconds > 0 ? (TrainCount + TestCount) / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Writes a SYNTHETIC phantom dataset in MSD layout: imagesTr/ + labelsTr/ for cases 0..train−1, imagesTs/ for
/// cases train..train+test−1 (images only), dataset.json, spec.json and manifest.jsonl (one line per case).
/// Every file appears atomically (temporary name, then rename); volumes are generated in parallel, and since
/// each depends only on (spec, seed, index) the output is identical for any thread count.
/// </summary>
public static class PhantomDatasetWriter
{
    public const string NiftiDescription = "SYNTHETIC abdominal CT phantom";

    public static PhantomDatasetResult Write(AbdomenPhantomSpec spec, ulong seed, int trainCount, string directory,
        int testCount = 0, int maxDegreeOfParallelism = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (trainCount < 0) throw new ArgumentOutOfRangeException(nameof(trainCount), trainCount, "Training count must be >= 0.");
        if (testCount < 0) throw new ArgumentOutOfRangeException(nameof(testCount), testCount, "Test count must be >= 0.");
        var generator = new AbdomenPhantomGenerator(spec, seed);
        var watch = Stopwatch.StartNew();
        Directory.CreateDirectory(Path.Combine(directory, PhantomDatasetLayout.ImagesTr));
        Directory.CreateDirectory(Path.Combine(directory, PhantomDatasetLayout.LabelsTr));
        if (testCount > 0) Directory.CreateDirectory(Path.Combine(directory, PhantomDatasetLayout.ImagesTs));

        int total = trainCount + testCount;
        var manifests = new string[total];
        var nifti = new NiftiWriteOptions { Description = NiftiDescription };
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        try
        {
            Parallel.For(0, total, options, i =>
            {
                var sample = generator.Generate(i);
                if (i < trainCount)
                {
                    NiftiWriter.Write(sample.Image, Path.Combine(directory, PhantomDatasetLayout.TrainImage(i)), nifti);
                    NiftiWriter.Write(sample.Label, Path.Combine(directory, PhantomDatasetLayout.TrainLabel(i)), nifti);
                }
                else
                {
                    NiftiWriter.Write(sample.Image, Path.Combine(directory, PhantomDatasetLayout.TestImage(i)), nifti);
                }
                manifests[i] = JsonSerializer.Serialize(sample.Manifest, ManifestJson);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Surface the first real failure (e.g. an IOException naming the file), not the parallel wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        AtomicFile.WriteAllText(Path.Combine(directory, "spec.json"), spec.ToJson());
        AtomicFile.WriteAllText(Path.Combine(directory, "manifest.jsonl"), string.Concat(manifests.Select(m => m + "\n")));
        AtomicFile.WriteAllText(Path.Combine(directory, "dataset.json"), PhantomDatasetJson.Build(spec, seed, trainCount, testCount));
        long voxels = (long)spec.Size[0] * spec.Size[1] * spec.Size[2] * total;
        return new PhantomDatasetResult(trainCount, testCount, watch.Elapsed, voxels);
    }

    private static readonly JsonSerializerOptions ManifestJson = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
