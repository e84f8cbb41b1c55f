using MedSeg.Core.Volumes;

namespace MedSeg.Core.Preprocessing;

/// <summary>Result of <see cref="ForegroundCropper.Crop"/>: cropped image and label and the box used (input voxels).</summary>
public sealed record ForegroundCrop(Volume Image, Volume? Label, CropBox Box);

/// <summary>
/// Crops image (and label) to the bounding box of image voxels above <c>threshold</c> grown by <c>margin</c>
/// voxels, as MONAI <c>CropForegroundd(source_key="image", select_fn=x &gt; threshold, margin)</c>; the box is
/// clipped to the volume (MONAI allow_smaller=True). No foreground at all: MONAI would return an empty array,
/// which a <see cref="Volume"/> cannot hold, so the volume is returned whole with the full box.
/// </summary>
public static class ForegroundCropper
{
    public static ForegroundCrop Crop(Volume image, Volume? label = null, double threshold = 0, int margin = 0)
    {
        ArgumentNullException.ThrowIfNull(image);
        VolumeOps.RequireSameShape(image, label, "CropForeground");
        if (margin < 0) throw new ArgumentOutOfRangeException(nameof(margin), margin, "Margin must be >= 0.");
        var box = ForegroundBox(image, threshold, margin);
        if (box is null)
        {
            var full = new CropBox([0, 0, 0], [image.SizeX, image.SizeY, image.SizeZ]);
            return new ForegroundCrop(image, label, full);
        }
        return new ForegroundCrop(VolumeOps.Crop(image, box), label is null ? null : VolumeOps.Crop(label, box), box);
    }

    /// <summary>Bounding box of voxels &gt; threshold, grown by margin and clipped; null when there are none.</summary>
    public static CropBox? ForegroundBox(Volume image, double threshold, int margin)
    {
        int[] lo = [int.MaxValue, int.MaxValue, int.MaxValue], hi = [-1, -1, -1];
        long i = 0;
        for (int z = 0; z < image.SizeZ; z++)
            for (int y = 0; y < image.SizeY; y++)
                for (int x = 0; x < image.SizeX; x++, i++)
                {
                    if (!(image.GetDouble(i) > threshold)) continue;
                    if (x < lo[0]) lo[0] = x; if (x > hi[0]) hi[0] = x;
                    if (y < lo[1]) lo[1] = y; if (y > hi[1]) hi[1] = y;
                    if (z < lo[2]) lo[2] = z; if (z > hi[2]) hi[2] = z;
                }
        if (hi[0] < 0) return null;
        int[] shape = [image.SizeX, image.SizeY, image.SizeZ];
        return new CropBox(
            [Math.Max(0, lo[0] - margin), Math.Max(0, lo[1] - margin), Math.Max(0, lo[2] - margin)],
            [Math.Min(shape[0], hi[0] + 1 + margin), Math.Min(shape[1], hi[1] + 1 + margin), Math.Min(shape[2], hi[2] + 1 + margin)]);
    }
}
