using System.Globalization;
using MedSeg.Core.Metrics;
using MedSeg.Core.Nifti;

namespace MedSeg.Core.Datasets.Msd;

/// <summary>
/// Checks a Medical Segmentation Decathlon or nnU-Net v2 dataset folder before anything uses it:
/// dataset.json structure (either convention, see <see cref="DatasetLayout"/>), every image has a label,
/// every file's NIfTI header reads, each case's image(s) and label share shape and affine (within a
/// tolerance), and — reading each label volume in full — every label value is one dataset.json declares.
/// imagesTs is optional; its files only have to be readable. Every problem is listed, none thrown.
/// </summary>
public static class MsdDatasetValidator
{
    public static DatasetValidationReport Validate(string directory, DatasetValidationOptions? options = null)
    {
        options ??= new DatasetValidationOptions();
        if (!Directory.Exists(directory))
            return new DatasetValidationReport(directory, null, [], [], [], [new DatasetProblem(directory, "dataset folder does not exist")]);

        var d = DatasetDescription.Read(directory);
        var problems = d.Problems;
        foreach (var c in d.Cases) CheckCase(directory, c, d.LabelValues, options, problems);
        foreach (string t in d.TestImages) ImageHeader(directory, t, options, problems); // test images only need to read
        return new DatasetValidationReport(directory, d.Layout, d.Cases, d.TestImages, d.LabelValues.ToList(), problems);
    }

    private static void CheckCase(string root, DatasetCase c, SortedSet<int> allowed, DatasetValidationOptions options, List<DatasetProblem> problems)
    {
        var label = Header(root, c.Label, problems, limits: options.Limits);
        foreach (string image in c.Images)
        {
            var h = ImageHeader(root, image, options, problems);
            if (h is null || label is null) continue;
            if (h.SizeX != label.SizeX || h.SizeY != label.SizeY || h.SizeZ != label.SizeZ)
                problems.Add(new(c.Label, $"shape {label.SizeX}×{label.SizeY}×{label.SizeZ} differs from image {image} ({h.SizeX}×{h.SizeY}×{h.SizeZ})"));
            else if (AffineDifference(h.GetAffine(), label.GetAffine(), options.AffineTolerance) is { } diff)
                problems.Add(new(c.Label, $"affine differs from image {image}: {diff}"));
        }
        if (label is null || !options.CheckLabelValues || allowed.Count == 0) return;

        int[] values;
        try { values = LabelMap.From(NiftiReader.Read(Path.Combine(root, c.Label)), c.Label); }
        catch (NiftiFormatException e) { problems.Add(new(c.Label, e.Problem)); return; }
        catch (LabelValueException e) { problems.Add(new(c.Label, e.Detail)); return; }
        catch (IOException e) { problems.Add(new(c.Label, $"cannot be read ({e.Message})")); return; }
        foreach (int v in DistinctValues(values).Where(v => !allowed.Contains(v)))
            problems.Add(new(c.Label, $"label value {v} not in dataset.json labels {{{string.Join(",", allowed)}}}"));
    }

    /// <summary>An image's header; with <see cref="DatasetValidationOptions.ImageChannel"/> 4-D images are accepted if they have that channel.</summary>
    private static NiftiHeader? ImageHeader(string root, string relative, DatasetValidationOptions options, List<DatasetProblem> problems)
    {
        var h = Header(root, relative, problems, allowChannels: options.ImageChannel is not null, limits: options.Limits);
        if (h is null || options.ImageChannel is not int channel || channel < h.Channels) return h;
        problems.Add(new(relative, $"channel {channel} (--channel) does not exist: the image is {h.SizeX}×{h.SizeY}×{h.SizeZ}"
            + (h.Channels > 1 ? $"×{h.Channels} (channels 0..{h.Channels - 1})" : " (3-D: channel 0 only)")));
        return null;
    }

    private static NiftiHeader? Header(string root, string relative, List<DatasetProblem> problems, bool allowChannels = false,
        ImportLimits? limits = null)
    {
        string path = Path.Combine(root, relative);
        if (!File.Exists(path)) { problems.Add(new(relative, "missing")); return null; }
        try
        {
            var header = NiftiReader.ReadHeader(path, allowChannels);
            // Judged on the header, before any voxel buffer exists: a 2 KB .nii.gz may declare gigabytes.
            long voxels = (long)header.SizeX * header.SizeY * header.SizeZ * header.Channels;
            limits ??= ImportLimits.Default;
            if (voxels > limits.MaxVoxels)
            {
                problems.Add(new(relative, $"declares {header.SizeX}×{header.SizeY}×{header.SizeZ}"
                    + (header.Channels > 1 ? $"×{header.Channels}" : "")
                    + $" = {voxels:N0} voxels, above the limit of {limits.MaxVoxels:N0} ({limits.Setting(nameof(ImportLimits.MaxVoxels))})"));
                return null;
            }
            return header;
        }
        catch (NiftiFormatException e) when (e.Problem.StartsWith(NiftiReader.MultiChannelPrefix, StringComparison.Ordinal))
        {
            // E.g. MSD Task01_BrainTumour: four MRI sequences in one file.
            problems.Add(new(relative, $"{e.Problem}; MedSeg trains on single-channel 3-D images: import one channel "
                + "with --channel N, or split the channels into nnU-Net v2 files <case>_0000.nii.gz, <case>_0001.nii.gz, …"));
        }
        catch (NiftiFormatException e) { problems.Add(new(relative, $"unreadable NIfTI: {e.Problem}")); }
        catch (IOException e) { problems.Add(new(relative, $"cannot be read ({e.Message})")); }
        catch (UnauthorizedAccessException e) { problems.Add(new(relative, $"cannot be read ({e.Message})")); }
        return null;
    }

    /// <summary>Null when every entry agrees within the tolerance, else a description of the worst entry.</summary>
    internal static string? AffineDifference(double[] image, double[] label, double tolerance)
    {
        int worst = -1;
        double worstDiff = 0;
        for (int i = 0; i < 16; i++)
        {
            double diff = Math.Abs(image[i] - label[i]);
            if (!(diff <= tolerance) && (worst < 0 || diff > worstDiff)) { worst = i; worstDiff = diff; }
        }
        if (worst < 0) return null;
        var c = CultureInfo.InvariantCulture;
        return $"element [{worst / 4},{worst % 4}] is {label[worst].ToString("G9", c)} in the label but {image[worst].ToString("G9", c)} in the image (tolerance {tolerance.ToString(c)})";
    }

    private static SortedSet<int> DistinctValues(int[] values)
    {
        var set = new SortedSet<int>();
        int last = int.MinValue;
        bool any = false;
        foreach (int v in values)
        {
            if (any && v == last) continue; // labels come in long runs; skip the set lookup
            set.Add(v);
            last = v;
            any = true;
        }
        return set;
    }
}
