using MedSeg.Core.Volumes;

namespace MedSeg.Training.Data;

/// <summary>Copies a crop of an image (as float) and its label map (as int64) into batch buffers.</summary>
public static class PatchExtractor
{
    /// <summary>Random origin such that the crop lies inside the volume.</summary>
    public static (int X, int Y, int Z) RandomOrigin(ref SplitMix64 rng, Volume v, CropSize crop) =>
        (rng.NextInt(v.SizeX - crop.X + 1), rng.NextInt(v.SizeY - crop.Y + 1), rng.NextInt(v.SizeZ - crop.Z + 1));

    public static (int X, int Y, int Z) CenterOrigin(Volume v, CropSize crop) =>
        ((v.SizeX - crop.X) / 2, (v.SizeY - crop.Y) / 2, (v.SizeZ - crop.Z) / 2);

    public static void CopyImage(Volume v, (int X, int Y, int Z) o, CropSize crop, float[] dest, long offset)
    {
        var floats = v.Data as float[];
        long i = offset;
        for (int z = 0; z < crop.Z; z++)
            for (int y = 0; y < crop.Y; y++)
            {
                long row = v.Index(o.X, o.Y + y, o.Z + z);
                if (floats is not null) { Array.Copy(floats, row, dest, i, crop.X); i += crop.X; }
                else for (int x = 0; x < crop.X; x++) dest[i++] = (float)v.GetDouble(row + x);
            }
    }

    public static void CopyLabel(Volume v, (int X, int Y, int Z) o, CropSize crop, long[] dest, long offset, int classCount, string sample)
    {
        long i = offset;
        for (int z = 0; z < crop.Z; z++)
            for (int y = 0; y < crop.Y; y++)
            {
                long row = v.Index(o.X, o.Y + y, o.Z + z);
                for (int x = 0; x < crop.X; x++)
                {
                    double value = v.GetDouble(row + x);
                    long label = (long)value;
                    if (label < 0 || label >= classCount || label != value)
                        throw new InvalidDataException(
                            $"Sample '{sample}': label value {value} at voxel ({o.X + x}, {o.Y + y}, {o.Z + z}) is not a class index in 0..{classCount - 1}.");
                    dest[i++] = label;
                }
            }
    }
}
