namespace MedSeg.Core.Generators.VolumeFusion;

/// <summary>
/// One source volume after normalisation: float voxels in (D, H, W) = (z, y, x) order, X fastest, as read from NIfTI.
/// <see cref="Minimum"/> is the padding value for crops that reach past the volume.
/// </summary>
public sealed record VolfSourceVolume(string Case, int Depth, int Height, int Width, float[] Voxels, float Minimum)
{
    public float At(int z, int y, int x) => Voxels[x + (long)Width * (y + (long)Height * z)];
}
