using System.Globalization;
using MedSeg.Core.Nifti;

namespace MedSeg.Core.Generators.VolumeFusion;

/// <summary>
/// Fused samples to look at before a run starts: samples 0..count−1 of a <see cref="VolfSampler"/> with the run's seed
/// (the first batch a run with these settings trains on), each written as a float32 fused image and a uint8 fusion-class
/// map into a folder of the caller's (a temporary one: never a dataset folder).
/// </summary>
public static class VolfPreview
{
    /// <summary>Samples one preview may draw (each is one sub-volume of the run's size).</summary>
    public const int MaxSamples = 8;

    public static string ImageFile(int index) => $"sample_{index}_image.nii.gz";
    public static string LabelFile(int index) => $"sample_{index}_label.nii.gz";

    /// <summary>Writes the samples; returns each one's manifest (sources, crops, boxes).</summary>
    public static IReadOnlyList<VolfSampleManifest> Write(VolfSourceSet sources, VolfOptions options, ulong seed, int count, string folder,
        CancellationToken ct = default)
    {
        if (count < 1 || count > MaxSamples)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"preview samples must be in 1..{MaxSamples}, got {count}");
        var sampler = new VolfSampler(sources, options, seed);
        Directory.CreateDirectory(folder);
        var manifests = new VolfSampleManifest[count];
        for (int i = 0; i < count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var s = sampler.Generate(i);
            NiftiWriter.Write(VolfDatasetWriter.ToVolume(s, s.Image), Path.Combine(folder, ImageFile(i)));
            NiftiWriter.Write(VolfDatasetWriter.ToVolume(s, s.Label), Path.Combine(folder, LabelFile(i)));
            manifests[i] = s.Manifest;
        }
        return manifests;
    }

    /// <summary>The legend of a fusion-class map: class k of K = classes − 1 fuses α = k / K of the foreground.</summary>
    public static IReadOnlyDictionary<int, string> AlphaNames(int classes)
    {
        int k = classes - 1;
        var names = new Dictionary<int, string>();
        if (k < 1) return names;
        for (int label = 0; label <= k; label++)
            names[label] = string.Format(CultureInfo.InvariantCulture, "{0}: α = {1:0.###}", label, (double)label / k) + (label == 0 ? " (background only)" : "");
        return names;
    }
}
