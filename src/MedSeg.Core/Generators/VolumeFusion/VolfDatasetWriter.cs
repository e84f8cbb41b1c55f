using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedSeg.Core.Generators.AvsDb;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;
using MedSeg.Core.IO;

namespace MedSeg.Core.Generators.VolumeFusion;

/// <summary>Result of writing a Volume Fusion dataset.</summary>
public sealed record VolfDatasetResult(int Count, TimeSpan Elapsed)
{
    public double SamplesPerSecond => Elapsed.TotalSeconds > 0 ? Count / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Writes fused samples in MSD layout: imagesTr/volf_NNNN_0000.nii.gz (float32 fused image), labelsTr/volf_NNNN.nii.gz
/// (uint8 fusion class 0..K), dataset.json, volf.json (the options), manifest.jsonl (sources, crop origins, boxes) and,
/// with keepSources, sources/volf_NNNN_bg|fg.nii.gz: the two normalised crops on the sample's grid, so that
/// fused = α·fg + (1 − α)·bg can be checked voxel by voxel. Sources are checked before anything is written.
/// </summary>
public static class VolfDatasetWriter
{
    public const string NiftiDescription = "Volume Fusion sample";
    public const int MaxCount = 100_000;

    public static VolfDatasetResult Write(VolfSourceSet sources, VolfOptions options, ulong seed, int count, string directory,
        bool keepSources = false, int maxDegreeOfParallelism = 0, CancellationToken cancellationToken = default)
    {
        if (count < 1 || count > MaxCount)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be in 1..{MaxCount}, got {count}");
        var sampler = new VolfSampler(sources, options, seed);
        // An unreadable source is named before the output folder exists, so a bad source leaves nothing behind.
        sources.CheckAll();
        var watch = Stopwatch.StartNew();
        Directory.CreateDirectory(Path.Combine(directory, VolfDatasetLayout.ImagesTr));
        Directory.CreateDirectory(Path.Combine(directory, VolfDatasetLayout.LabelsTr));
        if (keepSources) Directory.CreateDirectory(Path.Combine(directory, VolfDatasetLayout.Sources));

        var lines = new string[count];
        var nifti = new NiftiWriteOptions { Description = NiftiDescription };
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        try
        {
            Parallel.For(0, count, parallel, i =>
            {
                var s = sampler.Generate(i);
                NiftiWriter.Write(ToVolume(s, s.Image), Path.Combine(directory, VolfDatasetLayout.Image(i)), nifti);
                NiftiWriter.Write(ToVolume(s, s.Label), Path.Combine(directory, VolfDatasetLayout.Label(i)), nifti);
                if (keepSources)
                {
                    NiftiWriter.Write(ToVolume(s, s.Background), Path.Combine(directory, VolfDatasetLayout.BackgroundSource(i)), nifti);
                    NiftiWriter.Write(ToVolume(s, s.Foreground), Path.Combine(directory, VolfDatasetLayout.ForegroundSource(i)), nifti);
                }
                lines[i] = JsonSerializer.Serialize(s.Manifest, ManifestJson);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        AtomicFile.WriteAllText(Path.Combine(directory, VolfDatasetLayout.OptionsFile), options.ToJson());
        AtomicFile.WriteAllText(Path.Combine(directory, VolfDatasetLayout.Manifest), string.Concat(lines.Select(l => l + "\n")));
        AtomicFile.WriteAllText(Path.Combine(directory, "dataset.json"), DatasetJson(options, seed, count, sources.Count));
        return new VolfDatasetResult(count, watch.Elapsed);
    }

    /// <summary>A sample buffer as a NIfTI volume (x = W, y = H, z = D; unit spacing: crops keep voxels, not millimetres).</summary>
    public static Volume ToVolume<T>(VolfSample s, T[] data) where T : unmanaged => new(s.Width, s.Height, s.Depth, data);

    public static readonly JsonSerializerOptions ManifestJson = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static string DatasetJson(VolfOptions options, ulong seed, int count, int sourceCount)
    {
        var c = CultureInfo.InvariantCulture;
        var labels = new JsonObject { ["0"] = "background" };
        for (int k = 1; k <= options.FusionLevels; k++)
            labels[k.ToString(c)] = string.Format(c, "alpha {0:0.###}", (double)k / options.FusionLevels);
        var training = new JsonArray();
        for (int i = 0; i < count; i++)
            training.Add(new JsonObject { ["image"] = "./" + VolfDatasetLayout.Image(i), ["label"] = "./" + VolfDatasetLayout.Label(i) });
        var root = new JsonObject
        {
            ["name"] = "VolumeFusion",
            ["description"] = $"Volume Fusion ({options.Variant.ToString().ToLowerInvariant()}) pretext samples fused from {sourceCount} " +
                              $"unlabelled source volumes; label k = fusion weight alpha k/{options.FusionLevels}; options in volf.json, " +
                              "per-sample sources and boxes in manifest.jsonl",
            ["reference"] = "MIS-FM (Wang et al.), PyMIC volume_fusion",
            ["tensorImageSize"] = "3D",
            ["modality"] = new JsonObject { ["0"] = "fused" },
            ["channel_names"] = new JsonObject { ["0"] = "fused" },
            ["labels"] = labels,
            ["numTraining"] = count,
            ["numTest"] = 0,
            ["file_ending"] = ".nii.gz",
            ["seed"] = seed,
            ["training"] = training,
            ["test"] = new JsonArray(),
        };
        return root.ToJsonString(new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
