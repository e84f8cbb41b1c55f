namespace MedSeg.Core.Metrics;

/// <summary>
/// Surface voxels of a binary mask as MONAI's <c>get_mask_edges</c> finds them (spacing = None path):
/// <c>binary_erosion(mask) ^ mask</c> with scipy's default structuring element (the 6 face neighbours)
/// and border value 0 — a mask voxel is an edge when any face neighbour is outside the mask or outside
/// the grid. A non-empty mask therefore always has at least one edge voxel; an empty one has none.
/// </summary>
public static class MaskEdges
{
    public static bool[] Of(bool[] mask, int sizeX, int sizeY, int sizeZ)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if ((long)sizeX * sizeY * sizeZ != mask.LongLength)
            throw new ArgumentException($"Mask holds {mask.LongLength} voxels but shape {sizeX}×{sizeY}×{sizeZ} needs {(long)sizeX * sizeY * sizeZ}.");
        var edges = new bool[mask.Length];
        int plane = sizeX * sizeY;
        for (int z = 0; z < sizeZ; z++)
            for (int y = 0; y < sizeY; y++)
            {
                int row = sizeX * (y + sizeY * z);
                for (int x = 0; x < sizeX; x++)
                {
                    int i = row + x;
                    if (!mask[i]) continue;
                    bool interior =
                        x > 0 && mask[i - 1] && x < sizeX - 1 && mask[i + 1] &&
                        y > 0 && mask[i - sizeX] && y < sizeY - 1 && mask[i + sizeX] &&
                        z > 0 && mask[i - plane] && z < sizeZ - 1 && mask[i + plane];
                    edges[i] = !interior;
                }
            }
        return edges;
    }
}
