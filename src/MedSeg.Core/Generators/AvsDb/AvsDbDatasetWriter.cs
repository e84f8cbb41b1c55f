using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MedSeg.Core.Nifti;
using MedSeg.Core.IO;

namespace MedSeg.Core.Generators.AvsDb;

/// <summary>
/// Writes an AVS-DB dataset folder: imagesTr/avs_NNNN_0000.nii.gz, labelsTr/avs_NNNN.nii.gz, dataset.json,
/// spec.json, generation.json (seed) and manifest.jsonl (one line per volume, in index order).
/// Every file appears atomically (temporary name, then rename), the label after the image, so a volume whose
/// two files exist is complete. Re-running on the same folder resumes: complete volumes are skipped and
/// their manifests regenerated in memory (generation is deterministic), so the manifest is the same as
/// from an uninterrupted run. While it runs, manifest.partial.jsonl lists the volumes finished so far (see
/// <see cref="PartialManifest"/>), for live summaries; it is deleted once manifest.jsonl is written.
/// </summary>
public static class AvsDbDatasetWriter
{
    internal static JsonSerializerOptions ManifestJsonOptions { get; } = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static AvsDbWriteResult Write(AvsDbSpec spec, ulong seed, int count, string outDir,
        IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default,
        AvsDbWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(outDir);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Volume count must be >= 0.");
        options ??= AvsDbWriteOptions.Default;
        var generator = new AvsDbGenerator(spec, seed);
        var layout = new AvsDbLayout(outDir);
        PrepareFolder(layout, spec, seed);

        var manifests = new VolumeManifest[count];
        using var partial = new PartialManifest(layout.PartialManifest);
        int done = 0, skipped = 0;
        long placed = 0, dropped = 0;
        var clock = Stopwatch.StartNew();
        var parallel = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism is > 0 and var p ? p : Environment.ProcessorCount,
        };

        void WriteOne(int i)
        {
            bool present = layout.IsComplete(i);
            var sample = generator.Generate(i);
            if (!present)
            {
                NiftiWriter.Write(sample.Image, layout.ImagePath(i), options.Nifti);
                NiftiWriter.Write(sample.Label, layout.LabelPath(i), options.Nifti);
            }
            manifests[i] = sample.Manifest;
            partial.Append(sample.Manifest);
            if (present) Interlocked.Increment(ref skipped);
            Interlocked.Add(ref placed, sample.Manifest.ShapesPlaced);
            Interlocked.Add(ref dropped, sample.Manifest.ShapesDropped);
            int d = Interlocked.Increment(ref done);
            progress?.Report(new GenerationProgress(d, count, Volatile.Read(ref skipped),
                Interlocked.Read(ref placed), Interlocked.Read(ref dropped), clock.Elapsed));
        }

        try
        {
            Parallel.For(0, count, parallel, i => WriteOne(i));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            // Surface the first real failure (e.g. an IOException naming the file), not the wrapper.
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }

        var listed = Enumerable.Range(0, count).Where(layout.IsComplete).ToList();
        AtomicFile.WriteAllLines(layout.Manifest,
            listed.Select(i => JsonSerializer.Serialize(manifests[i], ManifestJsonOptions)));
        AtomicFile.WriteAllText(layout.DatasetJson, MsdDatasetJson.Build(spec, seed, listed));
        partial.Dispose();
        File.Delete(layout.PartialManifest); // manifest.jsonl has it all now
        clock.Stop();
        return new AvsDbWriteResult(count, count - skipped, skipped, placed, dropped, clock.Elapsed);
    }

    /// <summary>Creates the folders, removes stale temporaries and refuses a folder made with another spec or seed.</summary>
    private static void PrepareFolder(AvsDbLayout layout, AvsDbSpec spec, ulong seed)
    {
        Directory.CreateDirectory(layout.ImagesDir);
        Directory.CreateDirectory(layout.LabelsDir);
        string specJson = spec.ToJson();
        if (File.Exists(layout.SpecJson) && File.ReadAllText(layout.SpecJson) != specJson)
            throw new InvalidOperationException(
                $"{layout.SpecJson} holds a different spec: {layout.Root} was generated with other settings; choose another output folder or delete it.");
        if (File.Exists(layout.GenerationJson))
        {
            ulong? existing = JsonNode.Parse(File.ReadAllText(layout.GenerationJson))?["Seed"]?.GetValue<ulong>();
            if (existing != seed)
                throw new InvalidOperationException(
                    $"{layout.GenerationJson} records seed {existing?.ToString() ?? "(none)"}, not {seed}: {layout.Root} was generated with another seed; choose another output folder or delete it.");
        }
        AtomicFile.DeleteStaleTemporaries(layout.Root);
        AtomicFile.DeleteStaleTemporaries(layout.ImagesDir);
        AtomicFile.DeleteStaleTemporaries(layout.LabelsDir);
        AtomicFile.WriteAllText(layout.SpecJson, specJson);
        AtomicFile.WriteAllText(layout.GenerationJson, new JsonObject { ["Seed"] = seed, ["Generator"] = "MedSeg AVS-DB" }.ToJsonString());
    }

    /// <summary>Reads manifest.jsonl back (one <see cref="VolumeManifest"/> per line).</summary>
    public static IReadOnlyList<VolumeManifest> ReadManifest(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<VolumeManifest>(l, ManifestJsonOptions)!).ToList();
}
